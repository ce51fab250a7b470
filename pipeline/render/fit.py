"""Fitting the PDF pages: tables wider than the type area, and the check
that the pages show every character the document says.

A table too wide for the page would be cut at its edge.  A typesetter sets
it in parts, one under the other, each repeating the first column (the
labels the figures belong to); the EPUB keeps the whole table, since a
reader's screen scrolls.  After laying out, the text of the PDF itself
(pdftotext, which leaves out what falls off the page) is compared with
the text of the document laid out, so that nothing clipped can pass.
"""
from __future__ import annotations

import copy
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

from lxml import etree

XHTML_NS = "http://www.w3.org/1999/xhtml"
TOLERANCE = 1.0        # CSS px: rounding in the layout
WORD_CHAR = re.compile(r"[^\W_]")   # letters, digits, Han: what must be on the page


def _boxes(box):
    stack = [box]
    while stack:
        b = stack.pop()
        yield b
        stack.extend(getattr(b, "children", None) or ())


def overflowing_tables(doc) -> dict[str, tuple[float, float]]:
    """Table id → (its width, the type area's width), CSS px, for every
    table that runs past the right edge of the page's type area."""
    wide: dict[str, tuple[float, float]] = {}
    for page in doc.pages:
        pb = page._page_box
        left, right = pb.content_box_x(), pb.content_box_x() + pb.width
        for b in _boxes(pb):
            if getattr(b, "element_tag", None) != "table" or b.element is None:
                continue
            end = b.position_x + b.margin_width()
            if end > right + TOLERANCE and b.element.get("id"):
                wide[b.element.get("id")] = (round(b.margin_width(), 1), round(right - left, 1))
    return wide


def placed_pictures(doc) -> list[tuple[int, str, float]]:
    """(page number, the picture's file, its effective resolution in ppi at
    the size placed) for every picture on the pages."""
    found = []
    for number, page in enumerate(doc.pages, 1):
        for b in _boxes(page._page_box):
            image = getattr(b, "replacement", None)
            if b.element is None or getattr(b, "element_tag", None) != "img" or not getattr(image, "width", 0):
                continue
            if b.width > 0 and b.height > 0:   # scaled to cover its box (the cover): the larger scale counts
                ppi = min(image.width / (b.width / 96), image.height / (b.height / 96))
                found.append((number, b.element.get("data-file") or b.element.get("src"), ppi))
    return found


def table_rows_by_page(doc) -> dict[str, list[int]]:
    """Table id → the body rows it sets on each page it is on, in order: [7] for a table set
    whole, [4, 3] for one split after its fourth row."""
    rows: dict[str, list[int]] = {}
    for page in doc.pages:
        for b in _boxes(page._page_box):
            if getattr(b, "element_tag", None) == "table" and b.element is not None and b.element.get("id") \
                    and type(b).__name__ == "TableBox":
                n = sum(len(g.children) for g in b.children if getattr(g, "element_tag", None) == "tbody")
                rows.setdefault(b.element.get("id"), []).append(n)
    return rows


def cover_cropped(doc) -> float:
    """How much of the cover picture (scaled to cover the page) is cut away: 0 when it has the
    page's shape."""
    for b in _boxes(doc.pages[0]._page_box) if doc.pages else []:
        image = getattr(b, "replacement", None)
        if getattr(b, "element_tag", None) == "img" and "cover-image" in (b.element.get("class") or "") \
                and getattr(image, "width", 0) and b.width > 0 and b.height > 0:
            page, picture = b.width / b.height, image.width / image.height
            return 1 - min(page / picture, picture / page)
    return 0.0


def _name(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _all(el, name: str) -> list:
    return [e for e in el.iter() if _name(e) == name]


def _cells(tr):
    return [c for c in tr if _name(c) in ("td", "th")]


def _grid(table):
    """Each row with its cells placed on the column grid: [(tr, [(cell, first column, colspan)])],
    and the number of columns.  Rowspans from above take their columns."""
    rows = _all(table, "tr")
    taken: set[tuple[int, int]] = set()
    placed, width = [], 0
    for r, tr in enumerate(rows):
        col, cells = 0, []
        for cell in _cells(tr):
            while (r, col) in taken:
                col += 1
            span, down = int(cell.get("colspan", 1)), int(cell.get("rowspan", 1))
            taken.update((r + dr, col + dc) for dr in range(down) for dc in range(span))
            cells.append((cell, col, span))
            col += span
        width = max(width, col)
        placed.append((tr, cells))
    return placed, width


def split_table(table, parts: int) -> list:
    """The table as `parts` tables, one under the other, each with the first
    column and a share of the others; a cell spanning columns of two parts
    is repeated in both.  Returns the new tables (the first keeps the id)."""
    placed, width = _grid(table)
    data = list(range(1, width))
    parts = max(1, min(parts, len(data)))
    size = -(-len(data) // parts)
    out = []
    for k in range(parts):
        columns = {0, *data[k * size:(k + 1) * size]}
        part = copy.deepcopy(table)
        if k:
            part.set("id", f"{table.get('id')}-{k + 1}")
            part.set("class", " ".join(filter(None, [table.get("class"), "table-part"])))
        for (tr, cells), new_tr in zip(placed, _all(part, "tr")):
            for (cell, first, span), new_cell in zip(cells, _cells(new_tr)):
                inside = len(columns & set(range(first, first + span)))
                if not inside:
                    new_tr.remove(new_cell)
                elif inside > 1:
                    new_cell.set("colspan", str(inside))
                elif "colspan" in new_cell.attrib:
                    del new_cell.attrib["colspan"]
        out.append(part)
    return out


def split_wide(html, wide: dict[str, int]) -> None:
    """Replace each table named in `wide` (id → parts) by its parts, in place."""
    for table in _all(html, "table"):
        parts = wide.get(table.get("id"))
        if parts and parts > 1:
            parent, at = table.getparent(), table.getparent().index(table)
            parent.remove(table)
            for k, part in enumerate(split_table(table, parts)):
                parent.insert(at + k, part)


def columns(table) -> int:
    return _grid(table)[1]


def lost_elements(html, doc) -> list:
    """Elements with an id that are on no page: the layout dropped them."""
    seen = set().union(*(page.anchors for page in doc.pages)) if doc.pages else set()
    return [el for el in html.iter(f"{{{XHTML_NS}}}*") if el.get("id")
            and el.get("id") not in seen and _name(el) not in ("html", "head", "body")]   # not SVG symbols


def article_of(el) -> str | None:
    while el is not None and _name(el) != "article":
        el = el.getparent()
    return el.get("id") if el is not None else None


def characters(text: str) -> Counter:
    return Counter(WORD_CHAR.findall(unicodedata.normalize("NFKC", text)))


def text_lost(html, pdf: Path) -> Counter | None:
    """Letters, digits and Han characters of the document's body that the
    PDF's text does not hold (None: pdftotext is not installed)."""
    if not shutil.which("pdftotext"):
        return None
    body = copy.deepcopy(_all(html, "body")[0])
    for el in _all(body, "svg"):       # formulas are drawn, not set in a font: no text to find
        el.getparent().remove(el)
    shown = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                           check=False).stdout.decode("utf-8", errors="replace")
    return characters("".join(body.itertext())) - characters(shown)
