"""`make preview`: a contact sheet of all pages of a PDF, for editors."""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image


def contact_sheet(pdf: Path, target: Path, dpi: int = 20, columns: int = 10) -> None:
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), f"{d}/p"], check=True)
        pages = [Image.open(p) for p in sorted(Path(d).glob("p-*.png"))]
        w, h = pages[0].size
        rows = (len(pages) + columns - 1) // columns
        sheet = Image.new("RGB", (columns * (w + 4), rows * (h + 4)), (128, 128, 128))
        for i, im in enumerate(pages):
            sheet.paste(im, ((i % columns) * (w + 4), (i // columns) * (h + 4)))
        sheet.save(target)


if __name__ == "__main__":
    contact_sheet(Path(sys.argv[1]), Path(sys.argv[2]))
    print(sys.argv[2])
