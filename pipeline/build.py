"""The staged pipeline: read → clean → tables → structure → render, with timings."""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import structure, tables as table_stage
from .clean import RULES, clean
from .context import Context, switched_off
from .fixes import apply_fixes
from .model import Issue, Log
from .read import decode, read_blocks
from .sources import Source, load_source

FORMATS = ("screen", "print", "epub")


@dataclass
class Result:
    issue: Issue
    log: Log
    source: Source
    text: str = ""                            # the raw issue as the reader decoded it
    page_starts: dict = field(default_factory=dict)   # print page → ids of what starts it
    timings: dict = field(default_factory=dict)
    outputs: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)


class Timer:
    def __init__(self, timings: dict, quiet: bool):
        self.timings, self.quiet = timings, quiet

    def __call__(self, name):
        timer = self

        class _T:
            def __enter__(self):
                self.t = time.perf_counter()

            def __exit__(self, *exc):
                dt = time.perf_counter() - self.t
                timer.timings[name] = dt
                if not timer.quiet and not exc[0]:
                    print(f"  {name:<12} {dt:6.2f} s", file=sys.stderr, flush=True)
        return _T()


SWITCHES = {"clean": RULES.names, "tables": table_stage.DECISIONS.names, "structure": structure.DECISIONS.names}


def make_model(folder: Path, timer: Timer | None = None) -> tuple[Issue, Log, Source]:
    """raw text → document model (no files written)."""
    issue, log, src, _ = read_model(folder, timer)
    return issue, log, src


def read_model(folder: Path, timer: Timer | None = None) -> tuple[Issue, Log, Source, str]:
    """raw text → document model, and the text as decoded."""
    timer = timer or Timer({}, True)
    log = Log()
    with timer("load"):
        src = load_source(folder)
    ctx = Context(log=log, magazine=src.magazine, language=src.meta.language,
                  disabled=switched_off(src.fixes, src.folder / "fixes.toml", SWITCHES))
    with timer("read"):
        text = decode(src.raw, str(src.raw_path), log)
        blocks = read_blocks(text, log)
    with timer("fixes"):
        blocks = apply_fixes(blocks, src.fixes, str(src.folder / "fixes.toml"), ctx)
    with timer("clean"):
        blocks = clean(blocks, ctx)
    with timer("tables"):
        blocks = table_stage.tables(blocks, ctx)
    with timer("structure"):
        issue = structure.build_issue(blocks, src.meta, src.magazine, ctx)
    return issue, log, src, text


def write_atomic(target: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(folder: Path, out: Path, formats=FORMATS, quiet=False, embed_fonts=False) -> Result:
    from .render.epub import write_epub
    from .render.pdf import render_pdf
    from .report import write_report

    timings: dict = {}
    timer = Timer(timings, quiet)
    issue, log, src, text = read_model(Path(folder), timer)
    result = Result(issue, log, src, text, timings=timings)
    issue_id = src.meta.id
    # all editions are made in a private folder first, then moved in together
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=_writable(out)))
    try:
        if "screen" in formats:
            with timer("screen pdf"):
                info = render_pdf(issue, "screen", src.folder, staging / f"{issue_id}.pdf")
            result.pages["screen"] = info["pages"]
            result.page_starts = info["page_starts"]
        if "print" in formats:
            with timer("print pdf"):
                info = render_pdf(issue, "print", src.folder, staging / f"{issue_id}-print.pdf")
            result.pages["print"] = info["pages"]
            result.page_starts = info["page_starts"]   # the print shop's pages are the ones cited
        if "epub" in formats:
            if not result.page_starts:
                log.warn("epub", None, "no PDF was laid out in this build, so the EPUB has no page-list")
            with timer("epub"):
                write_epub(issue, staging / f"{issue_id}.epub", result.page_starts, embed_fonts=embed_fonts)
        with timer("report"):
            write_report(result, staging)
        for f in sorted(staging.iterdir()):
            target = out / f.name
            write_atomic(target, lambda tmp, f=f: shutil.copyfile(f, tmp))
            result.outputs[f.name] = target
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _writable(out: Path) -> Path:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:   # a read-only or virtual file system, a file in the way
        raise PermissionError(err.errno, err.strerror or str(err)) from err
    if not os.access(out, os.W_OK):
        raise PermissionError(f"{out}: output folder is not writable")
    return out
