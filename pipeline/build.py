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

from . import pictures as picture_stage, publish, structure, tables as table_stage
from .clean import RULES, clean
from .context import Context, switched_off
from .errors import InputError
from .fixes import apply_fixes, check_fixes_against
from .glyphs import missing_glyphs
from .model import Issue, Log
from .read import decode, read_blocks, source_lines
from .sources import Source, load_source

FORMATS = ("screen", "print", "epub")
# TIANTANG_PARALLEL=0 lays the two PDFs out one after the other, in this process
PARALLEL_ENV = "TIANTANG_PARALLEL"


def cores() -> int:
    """The processor cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:      # not Linux
        return os.cpu_count() or 1


def parallel() -> bool:
    """Whether the two PDFs are laid out at the same time, in two processes: on a machine of two
    cores or more, unless TIANTANG_PARALLEL is 0/off/false/no."""
    return cores() > 1 and os.environ.get(PARALLEL_ENV, "1").strip().lower() not in {"0", "off", "false", "no"}


class _Forked:
    """render_pdf(...) in a forked process (the model is shared by the fork, not copied by
    pickling); `result()` waits for it: its info and its time, or its exception raised here."""

    def __init__(self, *args):
        import multiprocessing
        ctx = multiprocessing.get_context("fork")
        self.receive, send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=self._run, args=(send, args), daemon=True)
        self.process.start()
        send.close()

    @staticmethod
    def _run(send, args):
        from .render.pdf import render_pdf
        t = time.perf_counter()
        try:
            info = render_pdf(*args)
            send.send(("ok", info, time.perf_counter() - t))
        except BaseException as err:       # noqa: BLE001 -- handed to the parent as it is
            try:
                send.send(("error", err, None))
            except Exception:              # an exception that does not pickle: its words
                send.send(("error", RuntimeError(f"{type(err).__name__}: {err}"), None))
        finally:
            send.close()

    def result(self):
        try:
            kind, value, seconds = self.receive.recv()
        except EOFError:
            self.process.join()
            raise RuntimeError(f"the process laying out a PDF ended without a result "
                               f"(exit code {self.process.exitcode})") from None
        finally:
            self.process.join()
        if kind == "error":
            raise value
        return value, seconds

    def stop(self):
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


@dataclass
class Result:
    issue: Issue
    log: Log
    source: Source
    text: str = ""                            # the raw issue as the reader decoded it
    page_starts: dict = field(default_factory=dict)   # print page → ids of what starts it
    screen_starts: dict = field(default_factory=dict)  # the same for the screen PDF, whose pages the report links
    timings: dict = field(default_factory=dict)
    outputs: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    text_lost: dict = field(default_factory=dict)   # PDF edition → characters not on its pages (None: not checked)


class Timer:
    """Times the stages; `say` (when given) hears one line per stage."""

    def __init__(self, timings: dict, quiet: bool, say=None):
        self.timings, self.quiet = timings, quiet
        self.say = say or (lambda line: print(line, file=sys.stderr, flush=True))

    def __call__(self, name):
        timer = self

        class _T:
            def __enter__(self):
                self.t = time.perf_counter()

            def __exit__(self, *exc):
                dt = time.perf_counter() - self.t
                timer.timings[name] = dt
                if not timer.quiet and not exc[0]:
                    timer.say(f"  {name:<12} {dt:6.2f} s")
        return _T()


SWITCHES = {"clean": RULES.names, "tables": table_stage.DECISIONS.names, "pictures": picture_stage.DECISIONS.names,
            "structure": structure.DECISIONS.names}


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
    for path, line, message in src.unknown:
        log.warn("sources.unknown_key", None, f"{path.name}:{line}: {message}")
    ctx = Context(log=log, magazine=src.magazine, language=src.meta.language,
                  disabled=switched_off(src.fixes, src.folder / "fixes.toml", SWITCHES), folder=src.folder)
    with timer("read"):
        text = decode(src.raw, str(src.raw_path), log)
        check_fixes_against(src.fixes, src.folder / "fixes.toml", text.count("\n") + 1)
        blocks = read_blocks(text, log)
        ctx.source = source_lines(text)
    with timer("fixes"):
        blocks = apply_fixes(blocks, src.fixes, str(src.folder / "fixes.toml"), ctx)
    with timer("clean"):
        blocks = clean(blocks, ctx)
    with timer("tables"):
        blocks = table_stage.tables(blocks, ctx)
    with timer("pictures"):
        blocks = picture_stage.pictures(blocks, ctx, src.folder)
    with timer("glyphs"):   # what no font draws: a warning, the text unchanged
        missing_glyphs(text, log, kept="\n".join(b.text for b in blocks))
    with timer("structure"):
        issue = structure.build_issue(blocks, src.meta, src.magazine, ctx)
    return issue, log, src, text


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(folder: Path, out: Path, formats=FORMATS, quiet=False, embed_fonts=False, say=None) -> Result:
    from .render.epub import write_epub
    from .render.pdf import render_pdf
    from .report import write_report

    timings: dict = {}
    timer = Timer(timings, quiet, say)
    issue, log, src, text = read_model(Path(folder), timer)
    result = Result(issue, log, src, text, timings=timings)
    issue_id = src.meta.id
    # the editions are made in a staging folder, then switched in as one set (publish)
    with publish.edition_set(out) as (staging, stale):
        if stale:
            log.warn("publish", None, f"removed what a killed build left: {', '.join(stale)}")
        exchange = publish.can_exchange(staging.parent)
        if not exchange:
            log.warn("publish", None, "this file system cannot swap two folders, so the edition set "
                     "is replaced file by file (report.json last)")
        forked = None
        try:
            both = "screen" in formats and "print" in formats and parallel()
            started = time.perf_counter()
            if both:      # the print PDF in a second process while this one lays out the screen PDF
                from .render.math import draw_issue
                draw_issue(issue)     # the formulas once, for both (the forked process inherits them)
                forked = _Forked(issue, "print", src.folder, staging / f"{issue_id}-print.pdf")
            if "screen" in formats:
                if not quiet:   # tens of seconds: say what is being done before it is done
                    timer.say("  laying out the screen PDF" + (" and, in a second process, the print PDF" if both else "")
                              + " …")
                with timer("screen pdf"):
                    info = render_pdf(issue, "screen", src.folder, staging / f"{issue_id}.pdf")
                result.pages["screen"] = info["pages"]
                result.page_starts = result.screen_starts = info["page_starts"]
                _layout_warnings(log, issue, "screen", info)
                result.text_lost["screen"] = None if info["text_lost"] is None else sum(info["text_lost"].values())
            if "print" in formats:
                if forked:
                    info, seconds = forked.result()
                    forked = None
                    timings["print pdf"] = seconds
                    timings["pdfs (2 processes)"] = time.perf_counter() - started
                    if not quiet:
                        timer.say(f"  {'print pdf':<12} {seconds:6.2f} s (in a second process; both PDFs "
                                  f"{timings['pdfs (2 processes)']:.2f} s)")
                else:
                    if not quiet:
                        timer.say("  laying out the print PDF …")
                    with timer("print pdf"):
                        info = render_pdf(issue, "print", src.folder, staging / f"{issue_id}-print.pdf")
                result.pages["print"] = info["pages"]
                result.page_starts = info["page_starts"]   # the print shop's pages are the ones cited
                _layout_warnings(log, issue, "print", info)
                result.text_lost["print"] = None if info["text_lost"] is None else sum(info["text_lost"].values())
            if "epub" in formats:
                if not result.page_starts:
                    log.warn("epub", None, "no PDF was laid out in this build, so the EPUB has no page-list")
                with timer("epub"):
                    write_epub(issue, staging / f"{issue_id}.epub", result.page_starts, embed_fonts=embed_fonts,
                               folder=src.folder)
            made = sorted(p.name for p in staging.iterdir()) + ["report.html", "report.json"]
            with timer("report"):
                write_report(result, staging)
            for name in made:   # the set is read by others (the print shop), whatever the umask
                (staging / name).chmod(0o644)
            publish.carry_over(out, staging)
            _switch(staging, out, exchange)
        except OSError as err:
            if not publish.no_space(err):
                raise
            raise _no_space(out, staging) from None
        finally:
            if forked:        # the screen PDF failed: the print one is not waited for
                forked.stop()
    result.outputs = {name: out / name for name in made}
    return result


MAX_LISTED = 60   # characters named in a text_lost warning


COVER_CROP = 0.1    # more of the cover picture cut away than this: the editor is told


def _layout_warnings(log: Log, issue: Issue, edition: str, info: dict) -> None:
    """What the layout had to do, or could not: a table set in parts, a table
    still too wide, text that is not on the pages."""
    from .render.xhtml import tables_by_id
    tables = tables_by_id(issue)

    def name(table_id):
        t = tables.get(table_id)
        label = (" ".join(t.text.split("\n")[0].split())[:30] if t is not None else table_id)
        return (t.span if t is not None else None), f"the table “{label}”"

    for table_id, (parts, width, area) in info.get("tables_split", {}).items():
        span, label = name(table_id)
        log.warn("pdf.wide_table", span, f"{label} is {width / area:.0%} of the type area's width in the "
                 f"{edition} PDF: set in {parts} parts, one under the other, each repeating the first column")
    for table_id in info.get("tables_too_wide", []):
        span, label = name(table_id)
        log.warn("pdf.wide_table", span, f"{label} is still wider than the type area in the {edition} PDF "
                 "(one column alone is too wide): it is cut at the page edge; shorten its cells")
    titles = {a.id: (a.title, a.span) for s in issue.sections for a in s.articles}
    for article, how in info.get("rescued", {}).items():
        title, span = titles.get(article, (article, None))
        log.warn("pdf.layout_rescue", span, f"in the {edition} PDF the layout dropped part of 《{title}》 (a "
                 "WeasyPrint fault at a page end): laid out again with its tables inside the column"
                 + (" and the article in one column" if "single-column" in how else "") + "; check its pages")
    if info.get("lost_elements"):
        log.warn("pdf.text_lost", None, f"the layout left {len(info['lost_elements'])} elements of the "
                 f"text on no page of the {edition} PDF: {', '.join(info['lost_elements'][:10])}")
    for page, file, ppi in info.get("pictures_soft", []):
        log.warn("pdf.picture_resolution", None, f"the picture {file} on page {page} of the {edition} PDF has "
                 f"{ppi:.0f} ppi at its placed size (the press wants 200 or more): it prints soft; "
                 "supply a larger file")
    cond = info.get("condition")
    if cond is not None and not cond.registered:
        log.warn("pdf.output_intent", None, f"the print PDF names no registered printing condition: its profile is "
                 f"{cond.profile.name} ({cond.identifier}); run `make setup` to make the FOGRA39 profile, or name "
                 "the print shop's condition in magazine.toml [print]")
    if info.get("cover_cropped", 0) > COVER_CROP:
        log.warn("pdf.cover_cropped", None, f"the cover picture {issue.meta.cover} is not the page's shape: "
                 f"{info['cover_cropped']:.0%} of it is cut away on the {edition} PDF's cover; supply it at the "
                 "trim's proportions (with 3 mm bleed on each side for the press)")
    for tex in info.get("formulas_undrawn", []):
        log.warn("unreadable_formulas", None, f"a formula the {edition} PDF cannot draw (ziamath), set as its "
                 f"TeX: ${tex[:120]}$")
    lost = info.get("text_lost")
    if lost is None:
        log.warn("pdf.text_lost", None, f"pdftotext is not installed: the {edition} PDF's text was not "
                 "compared with the document's")
    elif lost:
        shown = "".join(sorted(lost.elements()))
        log.warn("pdf.text_lost", None, f"{sum(lost.values())} letters, digits or Han characters of the "
                 f"text are not on the pages of the {edition} PDF (cut at the page edge or not drawn): "
                 f"{shown[:MAX_LISTED]}{'…' if len(shown) > MAX_LISTED else ''}")


def _switch(staging: Path, out: Path, exchange: bool) -> None:
    publish.switch(staging, out, exchange)   # a name of its own: the tests inject a kill here


def _no_space(out: Path, staging: Path) -> InputError:
    written = publish.bytes_used(staging)
    previous = publish.bytes_used(out) if out.is_dir() else 0
    free = shutil.disk_usage(staging.parent).free + written   # the staging is removed
    need = (f"about {max(previous, written) / 1e6:.1f} MB beside the previous one" if previous
            else f"more than {written / 1e6:.1f} MB")
    return InputError(out, 0, f"no space left on the device: the edition set needs {need}, "
                      f"{free / 1e6:.1f} MB are free; "
                      + ("the previous set is unchanged" if out.is_dir() else "nothing was written"))
