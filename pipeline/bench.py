"""`make bench`: time per stage and edition, peak memory, and the baseline a
user would otherwise reach for (pandoc → HTML → WeasyPrint) on the same text."""
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
    make_model(folder, Timer(timings, True))
    model_time = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as d:
        result = build(folder, Path(d) / "out", quiet=True)
        base = _baseline(folder / "raw.md", Path(d))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cores: {cores()}; the two PDFs laid out {'at the same time, in 2 processes' if parallel() else 'one after the other'}"
          f" (TIANTANG_PARALLEL=0: one after the other)")
    print(f"{'stage / edition':<22}{'seconds':>10}")
    for k, v in result.timings.items():
        print(f"{k:<22}{v:>10.2f}")
    print(f"{'build, wall':<22}{sum(v for k, v in result.timings.items() if k not in ('screen pdf', 'print pdf')):>10.2f}"
          if "pdfs (2 processes)" in result.timings else f"{'build, wall':<22}{sum(result.timings.values()):>10.2f}")
    print(f"{'raw → model (total)':<22}{model_time:>10.2f}")
    print(f"{'peak memory (MiB)':<22}{peak:>10.0f}")
    if base:
        screen = result.timings.get("screen pdf", 0)
        print(f"{'baseline pandoc+WP':<22}{base:>10.2f}")
        print(f"{'screen / baseline':<22}{screen / base:>10.2f}")
    else:
        print("baseline: pandoc not installed")
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
