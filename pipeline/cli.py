"""Command line: `python -m pipeline build …`, `check …` and `rules`.

Exit codes: 0 built (warnings allowed), 2 bad input (one line
`error: FILE:LINE: …` on stderr), 1 internal error.
"""
from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

from .errors import InputError


def _parser():
    p = argparse.ArgumentParser(prog="python -m pipeline",
                                description="Make the editions (print PDF, screen PDF, EPUB) of one issue of a publication.")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    subs = p.add_subparsers(dest="command", required=True)
    b = subs.add_parser("build", help="build the editions of one issue",
                        description="Build screen PDF, print PDF and EPUB of sources/<id>.")
    b.add_argument("source", help="the issue folder, e.g. sources/2025-08")
    b.add_argument("--formats", default="screen,print,epub",
                   help="comma-separated editions: screen, print, epub (default: all)")
    b.add_argument("--out", help="output folder (default: output/<id>)")
    b.add_argument("--embed-fonts", action="store_true", help="embed subset CJK fonts in the EPUB")
    b.add_argument("--quiet", action="store_true", help="no stage timings on stderr")
    c = subs.add_parser("check", help="preflight the editions in a folder",
                        description="Preflight PDFs and EPUB in DIR; prints PASS/FAIL per check.")
    c.add_argument("dir", help="a folder holding <id>.pdf, <id>-print.pdf, <id>.epub")
    c.add_argument("--no-ace", action="store_true", help="skip DAISY Ace")
    r = subs.add_parser("rules", help="list the rules and decisions an editor can switch off",
                        description="The clean rules in the order they run, then the named decisions of "
                                    "tables and structure; each name can go in `[<stage>] disable = [...]` "
                                    "in fixes.toml.")
    for sp in (b, c, r):
        sp.add_argument("--debug", action="store_true", help="show tracebacks")
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "rules":
            return _rules()
        from .check import run_checks
        return run_checks(Path(args.dir), ace=not args.no_ace)
    except InputError as err:
        if args.debug:
            traceback.print_exc()
        print(f"error: {err.path}:{err.line}: {err.message}", file=sys.stderr)
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


def _rules() -> int:
    from . import structure, tables
    from .clean import RULES
    for ruler in (RULES, tables.DECISIONS, structure.DECISIONS):
        print(f"[{ruler.stage}]")
        for name, doc in ruler.describe():
            print(f"  {name:<28} {doc}")
    return 0


def _build(args) -> int:
    from .build import FORMATS, build
    from .sources import load_source

    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        print(f"error: --formats:1: unknown edition {', '.join(unknown) or '(none)'}; "
              f"choose from {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    folder = Path(args.source)
    meta = load_source(folder).meta
    out = Path(args.out) if args.out else Path("output") / meta.id
    if out.exists() and not out.is_dir():
        raise InputError(out, 0, "output path exists and is not a folder")
    t0 = time.perf_counter()
    print(f"building {meta.id} ({', '.join(formats)}) → {out}", file=sys.stderr)
    try:
        result = build(folder, out, formats, quiet=args.quiet, embed_fonts=args.embed_fonts)
    except PermissionError as err:
        print(f"error: {out}:0: cannot write the output folder ({err.strerror or err})", file=sys.stderr)
        return 2
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
    return 0
