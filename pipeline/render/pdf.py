"""The PDF editions, laid out by WeasyPrint from XHTML and styles/.

Closed world: the URL fetcher serves only files under styles/, the issue's
folder and the system colour-profile folder; everything else (network,
file:///etc/passwd, data: for that matter) is refused and recorded.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..model import Issue
from .xhtml import html_document, serialize

ROOT = Path(__file__).resolve().parents[2]
STYLES = ROOT / "styles"
ICC_DIRS = [Path("/usr/share/color/icc/ghostscript")]

EDITIONS = {
    # edition: (style sheet, pdf variant)
    "screen": ("styles/screen.css", "pdf/ua-1"),
    "print": ("styles/print.css", "pdf/x-4"),
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


def render_pdf(issue: Issue, edition: str, issue_folder: Path, target: Path, fetcher=None) -> dict:
    stylesheet, variant = EDITIONS[edition]
    html = html_document(issue, stylesheet, edition)
    fetcher = fetcher or ClosedFetcher([STYLES, issue_folder, *ICC_DIRS])
    doc = HTML(string=serialize(html).decode("utf-8"), base_url=str(ROOT) + "/",
               url_fetcher=fetcher).render()
    doc.write_pdf(str(target), pdf_variant=variant, pdf_identifier=True,
                  pdf_tags=(edition == "screen"))
    return {"pages": len(doc.pages), "refused": fetcher.refused,
            "page_starts": page_starts(html, [set(p.anchors) for p in doc.pages])}


def page_starts(html, anchors_by_page: list[set]) -> dict[int, list[str]]:
    """Page number → the ids of the elements that begin on that page, in
    document order (or, on a page that only goes on with an element already
    begun, the last one begun): where a reader of another edition finds it."""
    order = [el.get("id") for el in html.iter() if isinstance(el.tag, str) and el.get("id")]
    rank = {name: k for k, name in enumerate(order)}
    starts, seen, last = {}, set(), []
    for number, names in enumerate(anchors_by_page, 1):
        new = sorted((n for n in names - seen if n in rank), key=rank.get)
        seen |= names
        last = new or last[-1:]
        if last:
            starts[number] = last
    return starts
