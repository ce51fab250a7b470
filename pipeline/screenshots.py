"""Screenshots of EPUB chapters in headless Chromium, at phone and tablet widths, to look at
what a reader sees: tables that scroll or get crushed, headings, the Han–Latin gap.

    python -m pipeline.screenshots output/2025-08/2025-08.epub output/2025-08/screens

By default three chapters: the in-book contents, the first article, and the article holding the
widest table (counted in columns); for that one also a view that starts just before the table
(a copy of the chapter beside it, so the stylesheets resolve).  `--chapter a13.xhtml` or
`--chapter a13.xhtml#a13-t14` picks others.  Writes <chapter>[-<id>]-<width>.png.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
NS = {"x": XHTML}
WIDTHS = (360, 768)
HEIGHT = 2000


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    raise SystemExit("error: no Chromium found (Debian package `chromium`; make setup installs it)")


def shoot(page: Path, png: Path, width: int, height: int = HEIGHT) -> None:
    """`page` laid out `width` CSS px wide.  Headless Chromium will not make a window narrower than
    500 px, so the page is shown in an iframe of that width and the PNG cropped to it."""
    from PIL import Image
    frame = page.with_name(f"frame-{width}-{page.stem}.html")
    frame.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe src="{page.name}" '
                     f'style="border:0;display:block;width:{width}px;height:{height}px"></iframe></body></html>',
                     encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={max(width, 500)},{height}",
               f"--screenshot={png}", frame.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if not png.exists():
        raise SystemExit(f"error: Chromium wrote no {png.name}: {proc.stderr.strip()[-300:]}")
    with Image.open(png) as im:
        if im.width > width:
            im.crop((0, 0, width, im.height)).save(png, optimize=True)


def _columns(table) -> int:
    return max((sum(int(c.get("colspan", "1")) for c in tr.xpath("x:th|x:td", namespaces=NS))
                for tr in table.xpath(".//x:tr", namespaces=NS)), default=0)


def default_chapters(oebps: Path) -> list[str]:
    """contents, the first article, the article with the widest table (and that table)."""
    spine = sorted(p.name for p in oebps.glob("*.xhtml") if p.name not in ("nav.xhtml", "cover.xhtml"))
    articles = [n for n in spine if n not in ("contents.xhtml", "front.xhtml", "colophon.xhtml")]
    picks = ["contents.xhtml"] if "contents.xhtml" in spine else []
    if articles:
        picks.append(articles[0])
    widest = (0, None, None)
    for name in articles:
        doc = etree.parse(str(oebps / name))
        for t in doc.xpath("//x:table[@id]", namespaces=NS):
            widest = max(widest, (_columns(t), name, t.get("id")), key=lambda w: w[0])
    if widest[1]:
        if widest[1] not in picks:
            picks.append(widest[1])
        picks.append(f"{widest[1]}#{widest[2]}")
    return picks


def view_from(oebps: Path, name: str, target: str) -> str:
    """A copy of chapter `name` whose body starts with the article header and then the block just
    before the one holding `target`: what a reader sees after scrolling there."""
    doc = etree.parse(str(oebps / name))
    el = doc.xpath("//*[@id=$i]", i=target)
    if not el:
        raise SystemExit(f"error: {name} has no element #{target}")
    el = el[0]
    while el.getparent() is not None and etree.QName(el.getparent()).localname not in ("div", "section", "body") \
            or "table-wrap" in (el.getparent().get("class") or ""):
        el = el.getparent()
    keep = el.getprevious()
    for sib in list(el.itersiblings(preceding=True)):
        if sib is not keep:
            sib.getparent().remove(sib)
    out = f"view-{Path(name).stem}-{target}.xhtml"
    doc.write(str(oebps / out), xml_declaration=True, encoding="utf-8")
    return out


def screenshots(epub: Path, out: Path, chapters: list[str] | None = None, widths=WIDTHS) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="epub-") as tmp:
        with zipfile.ZipFile(epub) as z:
            z.extractall(tmp)
        oebps = Path(tmp) / "OEBPS"
        for pick in chapters or default_chapters(oebps):
            name, _, target = pick.partition("#")
            page = view_from(oebps, name, target) if target else name
            for w in widths:
                png = out / f"{Path(name).stem}{'-' + target if target else ''}-{w}.png"
                shoot(oebps / page, png, w)
                written.append(png)
    return written


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m pipeline.screenshots", description=__doc__.split("\n\n")[0])
    p.add_argument("epub")
    p.add_argument("out", help="folder for the PNGs")
    p.add_argument("--chapter", action="append", help="file in OEBPS, optionally #id to start the view at")
    p.add_argument("--width", action="append", type=int, help=f"window width in px (default {WIDTHS})")
    args = p.parse_args(argv)
    for png in screenshots(Path(args.epub), Path(args.out), args.chapter, tuple(args.width or WIDTHS)):
        print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
