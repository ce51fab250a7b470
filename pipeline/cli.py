"""Command line: `python -m pipeline build …`, `check …` and `rules`.

Exit codes: 0 built (warnings allowed), 2 bad input (one line
`error: FILE:LINE: …` on stderr), 1 internal error.  `check`: 0 every check
passed (SKIPs allowed), 1 any FAIL, 2 DIR missing, not a folder or holding no
editions (`error: DIR:0: …`).
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
import traceback
from pathlib import Path

from .errors import InputError

# an output folder is never made in these (nor in / itself), whatever a symlink says
SYSTEM_FOLDERS = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot",
                  "/proc", "/sys", "/dev")
# the last second a ZIP, hence an EPUB, can record: 2107-12-31 23:59:59 UTC
LAST_EPOCH = 4354819199


def _parser():
    prog = "editions" if Path(sys.argv[0]).name == "editions" else "python -m pipeline"
    p = argparse.ArgumentParser(prog=prog,
                                description="Make the editions (print PDF, screen PDF, EPUB) of one issue of a publication.")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    loud = p.add_mutually_exclusive_group()
    loud.add_argument("--quiet", "-q", action="store_true", help="no progress lines on stderr")
    loud.add_argument("--verbose", "-v", action="store_true",
                      help="after a build, every warning with its source lines and the changes counted by rule")
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    subs = p.add_subparsers(dest="command", required=True)
    b = subs.add_parser("build", help="build the editions of one issue",
                        description="Build screen PDF, print PDF and EPUB of sources/<id>.")
    b.add_argument("source", help="the issue folder, e.g. sources/2025-08")
    b.add_argument("--formats", default="screen,print,epub",
                   help="comma-separated editions: screen, print, epub, or pdf for both PDFs (default: all)")
    b.add_argument("--out", help="output folder (default: output/<id>)")
    b.add_argument("--embed-fonts", action="store_true", help="embed subset CJK fonts in the EPUB")
    c = subs.add_parser("check", help="preflight the editions in a folder",
                        description="Preflight PDFs and EPUB in DIR; prints PASS/FAIL per check.")
    c.add_argument("dir", help="a folder holding <id>.pdf, <id>-print.pdf, <id>.epub")
    c.add_argument("--no-ace", action="store_true", help="skip DAISY Ace")
    n = subs.add_parser("new", help="make a new issue folder from the extractor's output",
                        description="Copy the extractor's text (and pictures) into a new issue folder, with an "
                                    "issue.toml whose guesses (date, number, language) are marked CONFIRM and an "
                                    "empty fixes.toml.")
    n.add_argument("folder", help="the new issue folder, e.g. sources/2025-09")
    n.add_argument("--raw", required=True, help="the extractor's text of the issue (markdown)")
    n.add_argument("--images", help="the extractor's pictures folder, copied as images/")
    v = subs.add_parser("serve", help="preview the issue in a browser, rebuilt when its sources change",
                        description="Build the issue and serve its EPUB chapters, screen PDF, contact sheet and "
                                    "report on http://127.0.0.1:PORT/, building again when raw.md, fixes.toml, "
                                    "issue.toml, magazine.toml or a style sheet changes; pages reload themselves.")
    v.add_argument("source", help="the issue folder, e.g. sources/2025-08")
    v.add_argument("--port", type=int, default=8000, help="the port on 127.0.0.1 (default 8000; 0: any free one)")
    v.add_argument("--out", help="output folder (default: output/<id>)")
    r = subs.add_parser("rules", help="list the rules and decisions an editor can switch off",
                        description="The clean rules in the order they run, then the named decisions of "
                                    "tables and structure; each name can go in `[<stage>] disable = [...]` "
                                    "in fixes.toml.")
    for sp in (b, c, n, v, r):   # --debug, --quiet, --verbose before or after the command; SUPPRESS: no default
        sp.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")   # overrides the first
        loud = sp.add_mutually_exclusive_group()
        loud.add_argument("--quiet", "-q", action="store_true", default=argparse.SUPPRESS,
                          help="no progress lines on stderr")
        loud.add_argument("--verbose", "-v", action="store_true", default=argparse.SUPPRESS,
                          help="every warning with its source lines, and the changes counted by rule")
    return p


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("tiantang-editions")
    except PackageNotFoundError:      # run from a source tree that was not installed
        return "(not installed)"


def run() -> None:
    """The console command `editions` (pyproject.toml [project.scripts])."""
    sys.exit(main())


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.quiet and args.verbose:   # one before the command, the other after it
        print("error: --quiet:1: --quiet and --verbose exclude each other", file=sys.stderr)
        return 2
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "rules":
            return _rules()
        if args.command == "new":
            return _new(args)
        if args.command == "serve":
            return _serve(args)
        from .check import run_checks
        return run_checks(Path(args.dir), ace=not args.no_ace)
    except InputError as err:
        if args.debug:
            traceback.print_exc()
        line = f"error: {err.path}:{err.line}: {err.message}"
        print(line.replace("\r", "\\r").replace("\n", "\\n"), file=sys.stderr)   # one line, always
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:   # the reader stopped reading (`rules | head`)
        sys.stderr.close()
        return 0
    except Exception as err:  # an internal error: say so in one line unless debugging
        if args.debug:
            traceback.print_exc()
        print(f"internal error: {type(err).__name__}: {err} (run with --debug for the traceback)",
              file=sys.stderr)
        return 1


def _new(args) -> int:
    from .new import new_issue
    folder = new_issue(Path(args.folder), Path(args.raw), Path(args.images) if args.images else None)
    marks = (folder / "issue.toml").read_text(encoding="utf-8").count("# CONFIRM")
    print(f"made {folder}: raw.md, issue.toml ({marks} guesses marked CONFIRM), fixes.toml"
          + (", images/" if args.images else ""))
    print(f"next: check issue.toml, then  editions build {folder}")
    return 0


def _serve(args) -> int:
    from .serve import serve
    from .sources import load_source
    folder = Path(args.source)
    meta = load_source(folder).meta          # bad input stops here, before any server
    out, _ = _out_folder(Path(args.out) if args.out else Path("output") / meta.id)
    serve(folder, out, args.port)
    return 0


def _rules() -> int:
    from . import pictures, structure, tables
    from .clean import RULES
    for ruler in (RULES, tables.DECISIONS, pictures.DECISIONS, structure.DECISIONS):
        print(f"[{ruler.stage}]")
        for name, doc in ruler.describe():
            print(f"  {name:<28} {doc}")
    return 0


def _build(args) -> int:
    from .build import FORMATS, build
    from .fixes import check_fixes_against
    from .model import Log
    from .read import decode
    from .sources import load_source

    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    formats = list(dict.fromkeys(e for f in formats for e in (("screen", "print") if f == "pdf" else (f,))))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        print(f"error: --formats:1: unknown edition {', '.join(unknown) or '(none)'}; "
              f"choose from {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    _check_source_date_epoch()
    folder = Path(args.source)
    # all the input is checked before anything is said or written: bad input is one line
    src = load_source(folder)
    text = decode(src.raw, str(src.raw_path), Log())
    check_fixes_against(src.fixes, src.folder / "fixes.toml", text.count("\n") + 1)
    meta = src.meta
    out, note = _out_folder(Path(args.out) if args.out else Path("output") / meta.id)
    if note:
        print(note, file=sys.stderr)
    t0 = time.perf_counter()
    # Bad input found during the build (a fix that matches nothing, a full disk) is one
    # line on stderr too: progress is held back and said after, unless a person watches.
    held: list[str] = []
    live = sys.stderr.isatty()

    def say(line):
        print(line, file=sys.stderr, flush=True) if live else held.append(line)
    say(f"building {meta.id} ({', '.join(formats)}) → {out}")
    try:
        result = build(folder, out, formats, quiet=args.quiet, embed_fonts=args.embed_fonts, say=say)
    except PermissionError as err:
        print(f"error: {out}:0: cannot write the output folder ({err.strerror or err})", file=sys.stderr)
        return 2
    for line in held:
        print(line, file=sys.stderr)
    log = result.log
    print(f"done in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    for name, path in result.outputs.items():
        print(f"  {path}", file=sys.stderr)
    print("  pages: " + ", ".join(f"{k} {v}" for k, v in result.pages.items()), file=sys.stderr)
    print(f"  articles: {len(result.issue.articles)} in {len(result.issue.sections)} sections; "
          f"changes: {len(log.changes)}; dropped: {len(log.drops)}; warnings: {len(log.warnings)}",
          file=sys.stderr)
    from .build import sha256
    for name, path in result.outputs.items():
        if path.suffix in (".pdf", ".epub"):
            print(f"  sha256 {sha256(path)}  {path.name}", file=sys.stderr)
    print(f"  report: {out / 'report.html'}", file=sys.stderr)
    if args.verbose:
        _tell_all(log, src.raw_path.name)
    return 0


def _tell_all(log, raw_name: str) -> None:
    """--verbose: what the report says first, on the terminal: each warning where it is in the
    raw text, then how many changes each rule made."""
    from collections import Counter
    for w in log.warnings:
        place = f"{raw_name}:{w.span}" if w.span else "-"
        print(f"  warning {w.rule}: {place}: {w.message}", file=sys.stderr)
    for rule, count in Counter(c.rule for c in log.changes).most_common():
        print(f"  {count:5d} × {rule}", file=sys.stderr)
    for rule, count in Counter(d.rule for d in log.drops).most_common():
        print(f"  {count:5d} dropped by {rule}", file=sys.stderr)


def _check_source_date_epoch() -> None:
    """SOURCE_DATE_EPOCH, when set, must be a time the PDFs and the EPUB can record."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if value and not (re.fullmatch(r"[0-9]{1,12}", value) and int(value) <= LAST_EPOCH):
        raise InputError("SOURCE_DATE_EPOCH", 0, f"{value[:40]!r} is not a build time: give whole "
                         f"seconds since 1970-01-01 UTC, at most {LAST_EPOCH} (2107-12-31)")


def _out_folder(out: Path) -> tuple[Path, str | None]:
    """The output folder with every symlink resolved, and a note when there was one.
    A folder that resolves into a system folder is refused."""
    real = out.resolve()
    linked = real != Path(os.path.normpath(Path.cwd().resolve() / out))   # a symlink in `out` itself
    how = ("is a symlink to" if out.is_symlink() else "resolves through a symlink to") if linked else ""
    system = next((d for d in SYSTEM_FOLDERS if real.is_relative_to(d)), "/" if real == Path("/") else None)
    if system:
        raise InputError(out, 0, (f"{how} {real}: " if linked else "")
                         + f"refusing to write the editions into the system folder {system}")
    if real.exists() and not real.is_dir():
        raise InputError(out, 0, "output path exists and is not a folder"
                         + (f" ({how} {real})" if linked else ""))
    made = next(p for p in (real, *real.parents) if p.exists())   # what mkdir would start from
    if not (made.is_dir() and os.access(made, os.W_OK | os.X_OK)):
        raise InputError(out, 0, f"cannot write the output folder ({made} is not a writable folder)")
    if not linked:
        return out, None
    return real, f"note: output folder {out} {how} {real}"
