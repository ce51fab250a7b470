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

from .build import Timer, build, make_model


def _baseline(raw: Path, tmp: Path) -> float | None:
    if not shutil.which("pandoc"):
        return None
    t = time.perf_counter()
    subprocess.run(["pandoc", str(raw), "-s", "-o", str(tmp / "x.html"), "--metadata", "title=x"],
                   check=True, capture_output=True)
    from weasyprint import HTML
    HTML(filename=str(tmp / "x.html")).write_pdf(str(tmp / "x.pdf"))
    return time.perf_counter() - t


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
    print(f"{'stage / edition':<22}{'seconds':>10}")
    for k, v in result.timings.items():
        print(f"{k:<22}{v:>10.2f}")
    print(f"{'raw → model (total)':<22}{model_time:>10.2f}")
    print(f"{'peak memory (MiB)':<22}{peak:>10.0f}")
    if base:
        screen = result.timings.get("screen pdf", 0)
        print(f"{'baseline pandoc+WP':<22}{base:>10.2f}")
        print(f"{'screen / baseline':<22}{screen / base:>10.2f}")
    else:
        print("baseline: pandoc not installed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
