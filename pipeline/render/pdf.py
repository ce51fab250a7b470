"""The PDF editions, laid out by WeasyPrint from XHTML and styles/.

Closed world: the URL fetcher serves only files under styles/, the issue's
folder and the system colour-profile folder; everything else (network,
file:///etc/passwd, data: for that matter) is refused and recorded.
"""
from __future__ import annotations

import mimetypes
import re
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..model import Issue
from . import balance, cjk_justify, fit, math, press
from .xhtml import XHTML, E, build_time, html_document, serialize, sub

ROOT = Path(__file__).resolve().parents[2]
STYLES = ROOT / "styles"
ICC_DIRS = [press.FALLBACK_PROFILE.parent, press.DEFAULT_PROFILE.parent]

EDITIONS = {
    # edition: (style sheet, pdf variant, widest gap between Chinese characters in em).
    # Both keep their text clean for copying and searching (poppler reads a gap
    # over 0.1 em as a space), and so break lines, and pages, the same: a line
    # that cannot be filled within it rather takes in what follows, tightened
    # (cjk_justify.MAX_CJK_SHRINK), or is left a little short.
    "screen": ("styles/screen.css", "pdf/ua-1", 0.08),
    "print": ("styles/print.css", "pdf/x-4", 0.08),
}


class ClosedFetcher(URLFetcher):
    """Serves local files from the allowed folders; refuses everything else.
    With `press` (a CMYK profile), the pictures are served as the print shop needs them (press_image)."""

    def __init__(self, allowed: list[Path], press: Path | None = None):
        super().__init__(allowed_protocols={"file"})
        self.allowed = [p.resolve() for p in allowed] + ([press.resolve()] if press else [])
        self.served: list[str] = []
        self.refused: list[str] = []
        self.press, self._pressed = press, {}

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if any(path.is_relative_to(a) for a in self.allowed) and path.is_file():
                self.served.append(str(path))
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                data = path.read_bytes()
                if self.press and kind.startswith("image/") and path.suffix.lower() != ".svg":
                    if path not in self._pressed:   # each layout round fetches it again
                        self._pressed[path] = press.press_image(data, self.press)
                    data, kind = self._pressed[path]
                    return _Served(url, data, {"Content-Type": kind})
                return URLFetcherResponse(url, data, {"Content-Type": kind})
        self.refused.append(url)
        raise ValueError(f"refused outside the build's closed world: {url}")


class _Served(URLFetcherResponse):
    """Bytes made for this build: WeasyPrint 70 reads an image whose response
    names a local file from that file again, so this one names none."""

    @property
    def path(self):
        return None


MIN_PPI = 200    # below this at its placed size a picture prints soft: the preflight warns


def render_pdf(issue: Issue, edition: str, issue_folder: Path, target: Path, fetcher=None,
               cjk_justify_on: bool | None = None) -> dict:
    stylesheet, variant, max_cjk_spacing = EDITIONS[edition]
    cjk_justify.MAX_CJK_SPACING = max_cjk_spacing
    # Chinese justification and punctuation compression, a patch of WeasyPrint
    # 70.0: off with cjk_justify_on=False or the environment TIANTANG_CJK_JUSTIFY=0
    on = cjk_justify.enabled() if cjk_justify_on is None else cjk_justify_on
    cjk_typography = cjk_justify.install() if on else cjk_justify.uninstall()   # False: not patched
    # column balancing by a search rather than 1 px steps (render/balance.py); TIANTANG_FAST_COLUMNS=0: off
    balance.install() if balance.enabled() else balance.uninstall()
    cond = press.condition(issue.magazine, issue_folder.parent) if edition == "print" else None
    fetcher = fetcher or ClosedFetcher([STYLES, issue_folder, *ICC_DIRS], press=cond and cond.profile)
    html, doc, fitted, too_wide, rescued, lost, undrawn = _lay_out(issue, stylesheet, edition, fetcher, issue_folder,
                                                                   cond)
    soft = [(page, file, ppi) for page, file, ppi in fit.placed_pictures(doc)
            if edition == "print" and round(ppi) < MIN_PPI]   # the press's concern; rounding is not softness
    cropped = fit.cover_cropped(doc)
    table_rows = fit.table_rows_by_page(doc)
    if edition == "print":     # the press binds sheets; a reader's PDF has no blank pages
        doc = _pad_to_signatures(doc, stylesheet, fetcher)
    # the same source gives the same bytes: dates from the issue (or SOURCE_DATE_EPOCH)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", build_time(issue))
    doc.metadata.created = doc.metadata.modified = stamp
    with _stable_document_id(f"{issue.meta.identifier}/{edition}"), _registration_marks():
        doc.write_pdf(str(target), pdf_variant=variant, pdf_identifier=True,
                      pdf_tags=(edition == "screen"), finisher=cond and press.finisher(cond))
    return {"pages": len(doc.pages), "refused": fetcher.refused, "cjk_typography": cjk_typography,
            "page_starts": page_starts(html, [set(p.anchors) for p in doc.pages]),
            "formulas_undrawn": undrawn, "pictures_soft": soft, "cover_cropped": cropped, "condition": cond, "table_rows": table_rows, "tables_split": fitted, "tables_too_wide": too_wide, "rescued": rescued, "lost_elements": lost,
            "text_lost": fit.text_lost(html, target)}


FIT_ROUNDS = 5   # layouts at most: each round splits wide tables further or rescues lost text
RESCUES = ("layout-rescue", "layout-rescue single-column")   # classes, tried in turn (common.css)


def _lay_out(issue: Issue, stylesheet: str, edition: str, fetcher, folder: Path, cond=None):
    """Lay the issue out, then look at the pages and lay it out again while
    they are wrong:
    - a table wider than the type area is set in parts (fit.split_table),
      more parts each round while one is still too wide;
    - an article with elements on no page (WeasyPrint 70 drops the rest of
      an article at some page ends after a table spanning the columns) has
      its tables set in the column, then the article in one column.
    → the XHTML, the document laid out, {table id: (parts, its width, the
    type area's width)}, tables still too wide, {article id: rescue class},
    and the ids of elements still on no page."""
    parts: dict[str, int] = {}          # table id → the parts it is set in
    first: dict[str, tuple[float, float]] = {}   # table id → its width, the type area's width
    rescued: dict[str, int] = {}        # article id → index in RESCUES
    for round_ in range(FIT_ROUNDS):
        html = html_document(issue, stylesheet, edition)
        if cond is not None:      # the printing condition: the output intent and what device-cmyk() means
            sub(html.find(f"{{{XHTML}}}head"), "style", text=press.color_profile_css(cond))
        _place_pictures(html, folder)
        _caption_every_table(html)
        data_columns = {t: fit.columns(el) - 1 for t, el in _tables(html).items()}
        fit.split_wide(html, parts)
        undrawn = math.to_svg(html, ink=PRINT_BLACK if edition == "print" else None)
        for el in html.iter(f"{{{XHTML}}}article"):
            if el.get("id") in rescued:
                el.set("class", f"{el.get('class')} {RESCUES[rescued[el.get('id')]]}")
        doc = HTML(string=serialize(html).decode("utf-8"), base_url=str(ROOT) + "/",
                   url_fetcher=fetcher).render()
        wide = {}
        for part_id, (width, area) in fit.overflowing_tables(doc).items():
            whole = PART_ID.sub(r"\1", part_id)
            first.setdefault(whole, (width, area))
            wide[whole] = max(wide.get(whole, 0), width / area)
        grow = {}
        for whole, ratio in wide.items():
            now, most = parts.get(whole, 1), data_columns.get(whole, 1)
            if now < most:    # a first guess from the width, then one part more each round
                grow[whole] = min(most, max(now + 1, -(-int(ratio * 100) // 100) if now == 1 else 0))
        lost = fit.lost_elements(html, doc)
        rescue = {}
        for article in {fit.article_of(el) for el in lost} - {None}:
            step = rescued.get(article, -1) + 1
            if step < len(RESCUES):
                rescue[article] = step
        if not (grow or rescue) or round_ == FIT_ROUNDS - 1:
            break
        parts.update(grow)
        rescued.update(rescue)
    fitted = {t: (n, *first[t]) for t, n in parts.items()}
    return (html, doc, fitted, sorted(wide), {a: RESCUES[k] for a, k in rescued.items()},
            [el.get("id") for el in lost], undrawn)


def _caption_every_table(html) -> None:
    """An empty caption for a table without one: where a table starts, on its first page only
    (common.css, "table continued").  (A mark of another kind before the table, a block or a
    ::before, makes WeasyPrint 70 lose the rows of a table it splits.)"""
    for table in html.iter(f"{{{XHTML}}}table"):
        if table.find(f"{{{XHTML}}}caption") is None:
            table.insert(0, E("caption", {"class": "caption-none", "aria-hidden": "true"}))


def _place_pictures(html, folder: Path) -> None:
    """Each picture from the issue folder, at the resolution it was cropped at (its natural size)."""
    for img in html.iter(f"{{{XHTML}}}img"):
        if img.get("data-dpi") and img.get("src"):
            img.set("data-file", img.get("src"))
            img.set("src", (folder.resolve() / img.get("src")).as_uri())
            if img.get("data-dpi") != "0":     # 0: sized by the style sheet (the cover)
                img.set("style", f"image-resolution: {img.get('data-dpi')}dpi")


PART_ID = re.compile(r"(-t\d+)-\d+$")   # the second and later parts of a table split by fit


def _tables(html) -> dict:
    return {el.get("id"): el for el in html.iter(f"{{{XHTML}}}table") if el.get("id")}


PRINT_BLACK = "device-cmyk(0 0 0 1)"     # the print edition's ink (print.css --ink)


class _MarksInCMYK:
    """WeasyPrint 70 draws crop marks as an SVG with `stroke="black"` (DeviceRGB)
    and `fill="transparent"` (an alpha-0 fill): in a CMYK job a preflight flags
    both.  The marks are set in registration colour, unfilled, instead."""

    def __init__(self, tree_module):
        self.tree = tree_module

    def fromstring(self, text, *args, **kwargs):
        text = text.replace('fill="transparent" stroke="black"', 'fill="none" stroke="device-cmyk(1 1 1 1)"')
        return self.tree.fromstring(text, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.tree, name)


@contextmanager
def _registration_marks():
    from weasyprint import draw
    original = draw.ElementTree
    draw.ElementTree = _MarksInCMYK(original)
    try:
        yield
    finally:
        draw.ElementTree = original


SIGNATURE = 4   # pages folded into one sheet: a saddle-stitched magazine has a multiple of four


def _pad_to_signatures(doc, stylesheet: str, fetcher):
    """Blank pages, without heads or folios, before the back page (the
    colophon) bring the page count to a multiple of four, as a print shop
    binds it (the print edition only)."""
    missing = -len(doc.pages) % SIGNATURE
    if not missing or len(doc.pages) < 2:
        return doc
    blanks = "".join('<div class="blank-page"></div>' for _ in range(missing))
    page = (f'<html lang="zh-CN"><head><link rel="stylesheet" href="{stylesheet}"/></head>'
            f'<body>{blanks}</body></html>')
    blank = HTML(string=page, base_url=str(ROOT) + "/", url_fetcher=fetcher).render()
    return doc.copy(doc.pages[:-1] + blank.pages[-missing:] + doc.pages[-1:])


@contextmanager
def _stable_document_id(name: str):
    """WeasyPrint 70 gives PDF/X-4 files a random xmpMM:DocumentID; ours is
    derived from the issue's identifier, so builds are reproducible."""
    from weasyprint.pdf import metadata
    original = metadata.uuid4
    metadata.uuid4 = lambda: uuid.uuid5(uuid.NAMESPACE_URL, name)
    try:
        yield
    finally:
        metadata.uuid4 = original


def page_starts(html, anchors_by_page: list[set]) -> dict[int, list[str]]:
    """Page number → the ids of the elements that begin on that page, in
    document order (or, on a page that only goes on with an element already
    begun, the last one begun): where a reader of another edition finds it."""
    order = [el.get("id") for el in html.iter() if isinstance(el.tag, str) and el.get("id")]
    rank = {name: k for k, name in enumerate(order)}
    starts, seen, last = {}, set(), []
    for number, names in enumerate(anchors_by_page, 1):
        if not names:
            continue   # a blank page (padding to whole sheets) has no place in the text
        new = sorted((n for n in names - seen if n in rank), key=rank.get)
        seen |= names
        last = new or last[-1:]
        if last:
            starts[number] = last
    return starts
