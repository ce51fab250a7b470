"""`make bench`: time per stage and edition, peak memory, the processes used, the
baseline a user would otherwise reach for (pandoc → HTML → WeasyPrint) on the same
text, and the layout's cost per page on the issue and on a document three times as
long (the issue's articles three times over), which is the same when layout is linear."""
from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .build import Timer, build, cores, make_model, parallel


def _baseline(raw: Path, tmp: Path) -> float | None:
    if not shutil.which("pandoc"):
        return None
    t = time.perf_counter()
    subprocess.run(["pandoc", str(raw), "-s", "-o", str(tmp / "x.html"), "--metadata", "title=x"],
                   check=True, capture_output=True)
    from weasyprint import HTML
    HTML(filename=str(tmp / "x.html")).write_pdf(str(tmp / "x.pdf"))
    return time.perf_counter() - t


def _scaled(folder: Path, tmp: Path, times: int) -> Path:
    """A synthetic issue `times` as long: the raw text repeated."""
    copy = tmp / f"x{times}" / folder.name
    copy.mkdir(parents=True)
    for name in ("issue.toml", "fixes.toml"):
        if (folder / name).exists():
            shutil.copy(folder / name, copy / name)
    shutil.copy(folder.parent / "magazine.toml", copy.parent / "magazine.toml")
    raw = (folder / "raw.md").read_bytes()
    (copy / "raw.md").write_bytes(b"\n\n".join([raw] * times))
    return copy


def _longer(issue, times: int):
    """The issue with its sections `times` over, each copy's articles given ids of their own: a
    long document of real articles, laid out as the issue is (raw text repeated would be read as
    one issue with its contents three times)."""
    import copy
    long = copy.deepcopy(issue)
    long.sections = []
    for k in range(times):
        for s in copy.deepcopy(issue.sections):
            s.id = f"{s.id}-{k}" if k else s.id
            for a in s.articles:
                a.id = f"{a.id}-{k}" if k else a.id
            long.sections.append(s)
    return long


def _screen_per_page(issue, folder: Path, out: Path) -> tuple[float, int]:
    """Seconds per page of the screen PDF, in a forked process (a fresh layout state)."""
    from .build import _Forked
    info, seconds = _Forked(issue, "screen", folder, out).result()
    return seconds / info["pages"], info["pages"]


def _model_and_epub(folder: Path, out: Path) -> float:
    t = time.perf_counter()
    build(folder, out, formats=["epub"], quiet=True)
    return time.perf_counter() - t


def _noop_make() -> tuple[float, bool] | None:
    """`make` with nothing changed: its time, and whether any edition was rewritten."""
    if not shutil.which("make") or not Path("Makefile").exists():
        return None
    # bring the editions up to date first (not timed), then time `make` again
    subprocess.run(["make", "--no-print-directory", "all"], check=True, capture_output=True)
    outs = list(Path("output").glob("*/*.pdf")) + list(Path("output").glob("*/*.epub"))
    if not outs:
        return None
    before = {p: p.stat().st_mtime_ns for p in outs}
    t = time.perf_counter()
    subprocess.run(["make", "--no-print-directory", "all"], check=True, capture_output=True)
    elapsed = time.perf_counter() - t
    return elapsed, any(p.stat().st_mtime_ns != m for p, m in before.items())


def main(argv=None) -> int:
    folder = Path((argv or sys.argv[1:] or ["sources/2025-08"])[0])
    timings: dict = {}
    t = time.perf_counter()
    issue, _, src = make_model(folder, Timer(timings, True))
    model_time = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        result = build(folder, Path(d) / "out", quiet=True)
        wall = time.perf_counter() - t
        base = _baseline(folder / "raw.md", Path(d))
        per_page, pages = _screen_per_page(issue, src.folder, Path(d) / "one.pdf")
        long_per_page, long_pages = _screen_per_page(_longer(issue, 3), src.folder, Path(d) / "long.pdf")
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    both = parallel()
    print(f"cores: {cores()}; processes: {2 if both else 1} for the two PDFs "
          f"({'at the same time' if both else 'one after the other'}; TIANTANG_PARALLEL=0: one after the other)")
    print(f"{'stage / edition':<22}{'seconds':>10}")
    for k, v in result.timings.items():
        print(f"{k:<22}{v:>10.2f}")
    print(f"{'build, wall':<22}{wall:>10.2f}")
    print(f"{'raw → model (total)':<22}{model_time:>10.2f}")
    print(f"{'peak memory (MiB)':<22}{peak:>10.0f}   (the largest process)")
    if base:
        screen = result.timings.get("screen pdf", 0)
        print(f"{'baseline pandoc+WP':<22}{base:>10.2f}")
        print(f"{'screen / baseline':<22}{screen / base:>10.2f}")
        print(f"{'build / baseline':<22}{wall / base:>10.2f}")
    else:
        print("baseline: pandoc not installed")
    print(f"{'s/page, issue':<22}{per_page:>10.3f}   ({pages} pages, screen PDF)")
    print(f"{'s/page, 3x as long':<22}{long_per_page:>10.3f}   ({long_pages} pages)")
    print(f"{'long / issue, per page':<22}{long_per_page / per_page:>10.2f}   (linear: 1)")
    with tempfile.TemporaryDirectory() as d:
        one = _model_and_epub(_scaled(folder, Path(d), 1), Path(d) / "o1")
        ten = _model_and_epub(_scaled(folder, Path(d), 10), Path(d) / "o10")
    print(f"{'model+EPUB 1x':<22}{one:>10.2f}")
    print(f"{'model+EPUB 10x':<22}{ten:>10.2f}")
    print(f"{'10x / 1x':<22}{ten / one:>10.2f}   (linear: at most 10)")
    noop = _noop_make()
    if noop:
        print(f"{'make, nothing changed':<22}{noop[0]:>10.2f}   editions rewritten: {'yes' if noop[1] else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
