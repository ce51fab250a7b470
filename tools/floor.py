"""How fast the screen PDF could be with WeasyPrint 70 at all: the issue's own document laid
out with parts of its design switched off, beside the pandoc+WeasyPrint baseline of `make bench`.

    .venv/bin/python tools/floor.py sources/2025-08 [--runs 3]

Prints, per variant, the median seconds of layout and of writing the PDF, and the pages:
  baseline   pandoc raw.md → HTML → WeasyPrint (the alternative a user would reach for)
  ours       the screen PDF as built (two columns, the CJK and column patches, PDF/UA tags)
  floor      the same document in one column, unpatched, untagged: what WeasyPrint itself costs
             for this text, typography and tables; no work of ours can make the screen PDF cheaper
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def once(folder: Path, variant: str) -> tuple[float, float, int]:
    from weasyprint import CSS, HTML

    from pipeline.build import make_model
    from pipeline.render import balance, cjk_justify, math, pdf
    from pipeline.render.xhtml import html_document, serialize
    out = Path(tempfile.mkdtemp())
    if variant == "baseline":     # its layout time includes pandoc's, as `make bench` times it
        t = time.perf_counter()
        subprocess.run(["pandoc", str(folder / "raw.md"), "-s", "-o", str(out / "x.html"), "--metadata", "title=x"],
                       check=True, capture_output=True)
        doc = HTML(filename=str(out / "x.html")).render()
        t1 = time.perf_counter()
        doc.write_pdf(str(out / "x.pdf"))
        return t1 - t, time.perf_counter() - t1, len(doc.pages)
    issue, _, src = make_model(folder)
    patched = variant == "ours"
    cjk_justify.install() if patched else cjk_justify.uninstall()
    balance.install() if patched else balance.uninstall()
    html = html_document(issue, "styles/screen.css", "screen")
    pdf._place_pictures(html, src.folder)
    pdf._caption_every_table(html)
    math.to_svg(html)
    sheets = [] if patched else [CSS(string="* { column-count: 1 !important; columns: auto !important }")]
    fetcher = pdf.ClosedFetcher([pdf.STYLES, src.folder, *pdf.ICC_DIRS])
    t = time.perf_counter()
    doc = HTML(string=serialize(html).decode(), base_url=str(ROOT) + "/", url_fetcher=fetcher).render(stylesheets=sheets)
    t1 = time.perf_counter()
    doc.write_pdf(str(out / "x.pdf"), pdf_tags=patched, pdf_variant="pdf/ua-1" if patched else None)
    return t1 - t, time.perf_counter() - t1, len(doc.pages)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    base = None
    for variant in ("baseline", "ours", "floor"):
        # each run in a fresh process: WeasyPrint's caches and the patches are per process
        runs = [subprocess.run([sys.executable, __file__, "--one", variant, str(args.folder)], check=True,
                               capture_output=True, text=True).stdout.split() for _ in range(args.runs)]
        layout = statistics.median(float(r[0]) for r in runs)
        write = statistics.median(float(r[1]) for r in runs)
        base = base or layout + write
        print(f"{variant:<9} layout {layout:6.2f} s  write {write:5.2f} s  pages {runs[0][2]:>4}  "
              f"÷ baseline {(layout + write) / base:5.2f}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(*once(Path(sys.argv[3]), sys.argv[2]))
        sys.exit(0)
    sys.exit(main())
