"""The PDF editions, laid out by WeasyPrint from XHTML and styles/.

Closed world: the URL fetcher serves only files under styles/, the issue's
folder and the system colour-profile folder; everything else (network,
file:///etc/passwd, data: for that matter) is refused and recorded.
"""
from __future__ import annotations

import mimetypes
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..model import Issue
from . import cjk_justify
from .xhtml import build_time, html_document, serialize

ROOT = Path(__file__).resolve().parents[2]
STYLES = ROOT / "styles"
ICC_DIRS = [Path("/usr/share/color/icc/ghostscript")]

EDITIONS = {
    # edition: (style sheet, pdf variant, widest gap between Chinese characters in em).
    # The screen PDF keeps its text clean for copying and searching (poppler reads
    # a gap over 0.1 em as a space), so its loosest lines end a little short; the
    # print PDF is flush everywhere.  Line breaks, and so pages, are the same.
    "screen": ("styles/screen.css", "pdf/ua-1", 0.08),
    "print": ("styles/print.css", "pdf/x-4", 0.5),
}


class ClosedFetcher(URLFetcher):
    """Serves local files from the allowed folders; refuses everything else."""

    def __init__(self, allowed: list[Path]):
        super().__init__(allowed_protocols={"file"})
        self.allowed = [p.resolve() for p in allowed]
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if any(path.is_relative_to(a) for a in self.allowed) and path.is_file():
                self.served.append(str(path))
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
        self.refused.append(url)
        raise ValueError(f"refused outside the build's closed world: {url}")


def render_pdf(issue: Issue, edition: str, issue_folder: Path, target: Path, fetcher=None,
               cjk_justify_on: bool | None = None) -> dict:
    stylesheet, variant, max_cjk_spacing = EDITIONS[edition]
    cjk_justify.MAX_CJK_SPACING = max_cjk_spacing
    # Chinese justification and punctuation compression, a patch of WeasyPrint
    # 70.0: off with cjk_justify_on=False or the environment TIANTANG_CJK_JUSTIFY=0
    on = cjk_justify.enabled() if cjk_justify_on is None else cjk_justify_on
    cjk_typography = cjk_justify.install() if on else cjk_justify.uninstall()   # False: not patched
    html = html_document(issue, stylesheet, edition)
    fetcher = fetcher or ClosedFetcher([STYLES, issue_folder, *ICC_DIRS])
    doc = HTML(string=serialize(html).decode("utf-8"), base_url=str(ROOT) + "/",
               url_fetcher=fetcher).render()
    doc = _pad_to_signatures(doc, stylesheet, fetcher)
    # the same source gives the same bytes: dates from the issue (or SOURCE_DATE_EPOCH)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", build_time(issue))
    doc.metadata.created = doc.metadata.modified = stamp
    with _stable_document_id(f"{issue.meta.identifier}/{edition}"), _registration_marks():
        doc.write_pdf(str(target), pdf_variant=variant, pdf_identifier=True,
                      pdf_tags=(edition == "screen"))
    return {"pages": len(doc.pages), "refused": fetcher.refused, "cjk_typography": cjk_typography,
            "page_starts": page_starts(html, [set(p.anchors) for p in doc.pages])}


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
    binds it; both editions, so that their pages stay the same."""
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
