"""The EPUB 3 edition: one XHTML document per article and per front or back
matter part, a nav document, an in-book contents page, a generated cover.

Packaged with ebooklib (the package document, the NCX, the zip), every document and
file handed to it as the bytes written here.  What ebooklib 0.20 cannot do is confined to
one post-step (`_settled`): xml:lang on the OPF package element, which Ace asks for, and
fixed zip entry dates, without which no two builds are the same bytes.  dcterms:modified is
ebooklib's `mtime` option; the nav document (contents, page-list, landmarks) is our own,
as ebooklib's generated one has no page-break targets of ours and no hidden lists.

The writer only writes: heading order and header cells come right from
structure and tables.  The print layout's page map (print page → ids of what
starts it) is given to it explicitly; with it, every page-list entry leads to
a page-break marker (`epub:type="pagebreak"`, `role="doc-pagebreak"`) put
where that print page begins, and the package names the page source
(`pageBreakSource`), as DAISY Ace asks.

With `embed_fonts`, Noto Serif CJK and Noto Sans CJK in the face of the
book's script (SC, TC, JP, KR: render/words.py) ship as WOFF2 subsets of
exactly the characters the book uses.  The words around the text (contents,
colophon, navigation) are the issue language's (render/words.py).
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

from lxml import etree

from ..model import Figure, Issue
from . import math
from .words import face, issue_words, script
from .xhtml import (DESCRIBED, cover_alt, E, EPUB_NS, HAN_LATIN_GAP as GAP, XHTML, XML_LANG, article_element, blocks_element,
                    build_time, colophon_element, contents_element, masthead, masthead_en, sub)

ROOT = Path(__file__).resolve().parents[2]
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
FONT_DIR = Path("/usr/share/fonts/opentype/noto")


def xhtml_page(issue: Issue, title: str, body_el, body_type: str | None = None,
               stylesheets=("css/epub.css",)) -> bytes:
    """One XHTML content document; `body_el` is an element or a list of them."""
    lang = issue.meta.language
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": EPUB_NS})
    html.set("lang", lang)
    html.set(XML_LANG, lang)
    head = sub(html, "head")
    sub(head, "meta", {"charset": "utf-8"})
    sub(head, "title", text=title)
    for href in stylesheets:
        sub(head, "link", {"rel": "stylesheet", "type": "text/css", "href": href})
    body = sub(html, "body")
    if body_type:
        body.set(EPUB_TYPE, body_type)
    for el in body_el if isinstance(body_el, list) else [body_el]:
        body.append(el)
    return etree.tostring(html, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


def cover_href(issue: Issue) -> str:
    """The cover's file in the book: the issue's own picture (issue.toml `cover`), else one drawn."""
    ext = Path(issue.meta.cover).suffix.lower() if issue.meta.cover else ".png"
    return f"images/cover{'.jpg' if ext == '.jpeg' else ext}"


def cover_image(issue: Issue, folder: Path | None) -> tuple[bytes, str]:
    """The cover's bytes and media type: the issue's own picture as it is, else cover_png."""
    if issue.meta.cover and folder is not None:
        from ..pictures import FORMATS, inspect
        found = inspect(folder / issue.meta.cover)      # checked when issue.toml was read
        return (folder / issue.meta.cover).read_bytes(), FORMATS[found[0]]
    return cover_png(issue), "image/png"


COVER_WIDTH = 1400    # px of the EPUB's cover picture (its height follows the page)


def cover_png(issue: Issue) -> bytes:
    """The cover page of the PDFs, as a picture: the same XHTML and style sheet
    laid out by WeasyPrint and rasterised by poppler's pdftoppm, so that the
    EPUB's cover is the one the print shop prints (without the bleed).  Without
    pdftoppm, one drawn from the metadata (drawn_cover)."""
    import shutil
    import subprocess
    import tempfile
    if shutil.which("pdftoppm") is None:
        return drawn_cover(issue)
    from weasyprint import HTML

    from .pdf import ROOT, STYLES, ClosedFetcher
    from .xhtml import cover_element, serialize
    html = E("html", {"lang": issue.meta.language, "class": f"script-{script(issue.meta.language)}"})
    html.set(XML_LANG, issue.meta.language)
    head = sub(html, "head")
    sub(head, "meta", {"charset": "utf-8"})
    sub(head, "link", {"rel": "stylesheet", "href": "styles/screen.css"})
    sub(html, "body", {"class": "edition-screen"}).append(cover_element(issue))
    pdf = HTML(string=serialize(html).decode("utf-8"), base_url=str(ROOT) + "/",
               url_fetcher=ClosedFetcher([STYLES])).write_pdf(pdf_identifier=False)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "cover.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to-x", str(COVER_WIDTH),
                        "-scale-to-y", "-1", "cover.pdf", "cover"], cwd=tmp, check=True, capture_output=True)
        return (Path(tmp) / "cover.png").read_bytes()


def drawn_cover(issue: Issue) -> bytes:
    """A cover drawn from the metadata with the CJK fonts (Pillow)."""
    from PIL import Image, ImageDraw, ImageFont
    w, h = 1400, 1900
    img = Image.new("RGB", (w, h), (11, 79, 138))
    draw = ImageDraw.Draw(img)

    def font(size, bold=False):
        name = "NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc"
        for d in (FONT_DIR,):
            p = Path(d) / name
            if p.exists():   # the face of the issue's script in the collection
                return ImageFont.truetype(str(p), size, index=_face_index(p, face(issue.meta.language)))
        return ImageFont.load_default(size)
    draw.text((120, 300), masthead(issue), font=font(220, True), fill="white")
    draw.text((125, 580), masthead_en(issue), font=font(56), fill="white")
    draw.text((125, 820), issue.meta.number or issue.meta.date_label, font=font(80), fill="white")
    draw.text((125, 930), issue.meta.date_label, font=font(64), fill="white")
    draw.text((125, 1700), issue.meta.publisher, font=font(48), fill="white")
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


# --- the page map of the print edition ----------------------------------------------------------

def _page_marker(number) -> etree._Element:
    mark = E("span", {"id": f"page-{number}", "role": "doc-pagebreak", "aria-label": str(number)})
    mark.set(EPUB_TYPE, "pagebreak")
    return mark


def _put_marker(el, mark) -> None:
    """The marker goes where `el` begins: inside it (after any markers already
    there) when it holds phrasing content, else just before it."""
    tag = etree.QName(el).localname
    if tag in ("ol", "ul", "table", "dl"):
        parent = el.getparent()
        if tag == "table" and parent is not None and "table-wrap" in (parent.get("class") or "").split():
            el = parent     # before the wrapper, not inside a block set in another language
        el.addprevious(mark)
        return
    k = 0
    while k < len(el) and el[k].get(EPUB_TYPE) == "pagebreak":
        k += 1
    if k == 0:
        mark.tail, el.text = el.text, None
    else:
        mark.tail, el[k - 1].tail = el[k - 1].tail, None
    el.insert(k, mark)


def mark_pages(page_starts: dict[int, list[str]], parts) -> list[tuple[str, str]]:
    """Page-break markers where each print page begins → [(page number, href)]."""
    if not page_starts:
        return []
    where = {}
    for name, _, body, _ in parts:
        for el in body.iter(f"{{{XHTML}}}*"):
            if el.get("id"):
                where.setdefault(el.get("id"), (name, el))
    pages = []
    numbers = sorted(page_starts)
    for k, number in enumerate(numbers):
        # a section opener has no page of its own in the EPUB: what follows it stands for it
        names = [n for m in numbers[k:k + 2] for n in page_starts[m]]
        target = next((n for n in names if n in where), None)
        if target:
            name, el = where[target]
            mark = _page_marker(number)
            _put_marker(el, mark)
            pages.append((str(number), f"{name}#{mark.get('id')}"))
    return pages


# --- navigation and package -----------------------------------------------------------------------

def _nav(issue: Issue, pages: list[tuple[str, str]]) -> list:
    words = issue_words(issue)
    nav_root = E("div")
    toc = sub(nav_root, "nav", {"id": "toc", "role": "doc-toc"})
    toc.set(EPUB_TYPE, "toc")
    sub(toc, "h1", text=words["contents"])
    ol = sub(toc, "ol")
    li = sub(ol, "li")
    sub(li, "a", {"href": "contents.xhtml"}, text=words["contents"])
    for s in issue.sections:
        sol = ol                       # articles outside any section stand at the top level
        if s.name:
            li = sub(ol, "li")
            first = s.articles[0].id if s.articles else None
            sub(li, "a", {"href": f"{first}.xhtml"}, text=s.name)
            sol = sub(li, "ol")
        for a in s.articles:
            sub(sub(sol, "li"), "a", {"href": f"{a.id}.xhtml"}, text=a.title)
    li = sub(ol, "li")
    sub(li, "a", {"href": "colophon.xhtml"}, text=words["colophon"])
    if pages:
        page_nav = sub(nav_root, "nav", {"id": "page-list", "hidden": "hidden"})
        page_nav.set(EPUB_TYPE, "page-list")
        sub(page_nav, "h2", text=words["page_list"])
        pol = sub(page_nav, "ol")
        for number, href in pages:
            sub(sub(pol, "li"), "a", {"href": href}, text=number)
    land = sub(nav_root, "nav", {"id": "landmarks", "hidden": "hidden"})
    land.set(EPUB_TYPE, "landmarks")
    sub(land, "h2", text=words["landmarks"])
    lol = sub(land, "ol")
    first_article = issue.articles[0].id if issue.articles else "contents"
    for typ, href, label in [("cover", "cover.xhtml", words["cover"]), ("toc", "contents.xhtml", words["contents"]),
                             ("bodymatter", f"{first_article}.xhtml", words["body_matter"])]:
        a = sub(sub(lol, "li"), "a", {"href": href}, text=label)
        a.set(EPUB_TYPE, typ)
    return list(nav_root)


def _book(issue: Issue, items, spine, toc, paged: bool, pictures: bool = False,
          described: bool = True):
    """The package as an ebooklib book: the metadata, every item as it is written here (an
    `EpubItem` keeps its bytes: an `EpubHtml` would be parsed again by lxml.html and set in
    ebooklib's own template, losing the body's epub:type and the head's links), the spine, and an
    NCX contents for EPUB 2 reading systems.  `items` are (id, href, media type, properties, bytes)."""
    from ebooklib import epub as eb
    meta = issue.meta
    words = issue_words(issue)
    book = eb.EpubBook()
    book.FOLDER_NAME = "OEBPS"
    book.IDENTIFIER_ID = "pub-id"
    book.set_identifier(meta.identifier)
    book.title = meta.title                # the NCX's docTitle
    book.language = meta.language
    book.add_prefix("schema", "http://schema.org/")

    def dc(name, text, **attrs):
        book.add_metadata("DC", name, text, attrs or None)
    dc("title", meta.title, id="title")
    dc("title", meta.subtitle, id="subtitle")
    dc("language", meta.language)
    dc("publisher", meta.publisher)
    dc("date", meta.date)
    for subj in issue.magazine.get("subjects", []):
        dc("subject", subj)

    def prop(name, text, **attrs):
        book.add_metadata(None, "meta", text, {"property": name, **attrs})
    prop("title-type", "main", refines="#title")
    prop("title-type", "subtitle", refines="#subtitle")
    prop("schema:accessMode", "textual")
    if pictures:     # the issue's pictures: seen, and (where described) read
        prop("schema:accessMode", "visual")
        prop("schema:accessModeSufficient", "textual,visual")
    if described:
        prop("schema:accessModeSufficient", "textual")
    # values from the schema.org accessibilityFeature vocabulary (Ace rejects others, e.g. "table")
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if pictures:     # every picture has an alt text (render/xhtml.figure_alt); described, or not
        features.append("alternativeText")
    for feat in features + (["pageNavigation", "pageBreakMarkers"] if paged else []):
        prop("schema:accessibilityFeature", feat)
    if paged:   # whose page numbers the page-list and the page-break markers give
        source = f"{issue.meta.title} {issue.meta.number or issue.meta.date_label}{words['print_edition']}"
        dc("source", source)
        prop("pageBreakSource", source)
    prop("schema:accessibilityHazard", "none")
    prop("schema:accessibilitySummary", words["accessibility_summary"] + (words["summary_pictures"] if pictures else ""))
    prop("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA")
    book.add_metadata(None, "meta", None, {"name": "cover", "content": "cover-image"})

    by_id = {}
    for item_id, href, media, props, data in items:
        item = eb.EpubItem(uid=item_id, file_name=href, media_type=media, content=data)
        item.properties = props.split() if props else []
        book.add_item(item)
        by_id[item_id] = item
    book.add_item(eb.EpubNcx())
    book.spine = [by_id[item_id] for item_id in spine]
    book.toc = [eb.Link(href, title, f"ncx-{k}") if not children else
                (eb.Section(title, href), [eb.Link(h, t, f"ncx-{k}-{j}") for j, (t, h) in enumerate(children, 1)])
                for k, (title, href, children) in enumerate(toc, 1)]
    return book


def _ncx_toc(issue: Issue) -> list:
    """[(title, href, [(title, href)])]: the contents for the NCX, as the nav document has them."""
    words = issue_words(issue)
    toc = [(words["contents"], "contents.xhtml", [])]
    for s in issue.sections:
        articles = [(a.title, f"{a.id}.xhtml") for a in s.articles]
        if s.name and articles:
            toc.append((s.name, articles[0][1], articles))
        else:
            toc.extend((title, href, []) for title, href in articles)
    toc.append((words["colophon"], "colophon.xhtml", []))
    return toc


def _settled(package: bytes, lang: str, stamp) -> bytes:
    """What ebooklib 0.20 cannot do, done to the zip it wrote: xml:lang on the OPF's package
    element (Ace asks for the publication's language there), and every entry dated `stamp` with
    plain file permissions, so that the same source gives the same bytes.  WOFF2 is stored, being
    brotli-compressed already; the mimetype entry stays first and stored."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w") as z:
        for entry in src.infolist():
            data = src.read(entry)
            if entry.filename.endswith(".opf"):
                root = etree.fromstring(data)
                root.set(XML_LANG, lang)
                data = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            stored = entry.filename == "mimetype" or entry.filename.endswith(".woff2")
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return out.getvalue()


def epub_parts(issue: Issue):
    """(file name, title, body element, epub:type) in reading order."""
    words = issue_words(issue)
    parts = []
    cover = E("section", {"class": "cover-page"})
    img = sub(cover, "img", {"src": cover_href(issue), "alt": cover_alt(issue)})
    img.set("role", "doc-cover")
    parts.append(("cover.xhtml", words["cover"], cover, "cover"))
    parts.append(("contents.xhtml", words["contents"],
                  contents_element(issue, href=lambda a: f"{a.id}.xhtml", page_numbers=False), "frontmatter"))
    if issue.front:
        parts.append(("front.xhtml", issue.meta.title,
                      blocks_element("section", "front-matter", issue.front, "front", words), "frontmatter"))
    for s in issue.sections:
        for a in s.articles:
            parts.append((f"{a.id}.xhtml", a.title, article_element(a, s.name, words, heading_level=1, lang=issue.meta.language),
                          "bodymatter"))
    parts.append(("colophon.xhtml", words["colophon"], colophon_element(issue, heading_level=1), "backmatter"))
    return parts


# --- embedded fonts -------------------------------------------------------------------------------

# (file in FONT_DIR, family of the @font-face rule) in the face of the book's script (SC, TC, JP,
# KR).  The family names exist only in css/fonts.css of an EPUB built with embedded fonts:
# styles/epub.css names the SC ones first and falls back to the generic families (which reading
# systems choose by the documents' lang); a book in another script gets epub.css with its own
# face's names (`book_css`).  Regular faces only, each cut to every character the book uses
# (any text may be set in either): the bold faces too would pass the 2.5 MB budget, so reading
# systems embolden headings themselves.
FAMILIES = ("Noto Serif CJK {face} Subset", "Noto Sans CJK {face} Subset")
FILES = ("NotoSerifCJK-Regular.ttc", "NotoSansCJK-Regular.ttc")


def faces(face_code: str = "SC") -> list[tuple[str, str]]:
    return [(file, family.format(face=face_code)) for file, family in zip(FILES, FAMILIES)]


def book_css(face_code: str) -> bytes:
    """styles/epub.css, naming the subsets of the book's face (the SC names are the file's own)."""
    css = (ROOT / "styles" / "epub.css").read_bytes()
    for family in FAMILIES:
        css = css.replace(family.format(face="SC").encode(), family.format(face=face_code).encode())
    return css


def book_characters(bodies) -> set[str]:
    """Every character the documents set, plus printable ASCII for generated text (list numbers)."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for body in bodies:
        for text in body.itertext():
            chars.update(text)
    return {c for c in chars if not c.isspace() or c in (" ", GAP, "\u3000")}


def _face_index(path: Path, face_code: str) -> int:
    """The index of the face (SC, TC, JP, KR) in a Noto CJK collection; 0 if it is not there."""
    from fontTools.ttLib import TTCollection
    for k, font in enumerate(TTCollection(str(path), lazy=True).fonts):
        if re.fullmatch(rf"Noto (Sans|Serif) CJK {face_code}", font["name"].getDebugName(1) or ""):
            return k
    return 0


def _face(path: Path, face_code: str = "SC"):
    """The face (SC, TC, JP, KR) of a Noto CJK collection (or the font itself)."""
    from fontTools.ttLib import TTCollection, TTFont
    if not path.exists():
        raise FileNotFoundError(f"{path}: the Noto CJK fonts are needed to embed fonts (Debian fonts-noto-cjk)")
    if path.suffix.lower() != ".ttc":
        return TTFont(str(path), lazy=True, recalcTimestamp=False)
    for font in TTCollection(str(path), lazy=True).fonts:
        if re.fullmatch(rf"Noto (Sans|Serif) CJK {face_code}", font["name"].getDebugName(1) or ""):
            font.recalcTimestamp = False
            return font
    raise ValueError(f"{path}: no {face_code} face in the collection")


def subset_font(path: Path, chars: set[str], face_code: str = "SC") -> bytes:
    """The face `face_code` of `path` cut to `chars`, as WOFF2 (names, licence included, kept)."""
    from fontTools import subset
    font = _face(path, face_code)
    opts = subset.Options()
    opts.flavor = "woff2"
    opts.name_IDs = ["*"]          # copyright and OFL licence travel with the font
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    sub_ = subset.Subsetter(opts)
    sub_.populate(text="".join(sorted(chars)))
    sub_.subset(font)
    # Noto CJK has no U+2005 (the Han–Latin gap): it takes the space glyph, a quarter em wide,
    # so the gap needs no fallback font (the character, and so its line-breaking, stays U+2005)
    cmap = font.getBestCmap()
    if GAP in chars and ord(GAP) not in cmap and 0x20 in cmap:
        for table in font["cmap"].tables:
            if table.format in (4, 12) and table.isUnicode():
                table.cmap[ord(GAP)] = cmap[0x20]
    font.flavor = "woff2"
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _map(fn, *args) -> list:
    """fn over the argument lists, in forked worker processes where there are several cores (the
    serif face alone takes ~15 s), else in this process; results in order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    workers = min(len(args[0]), os.cpu_count() or 1)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return list(map(fn, *args))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(fn, *args))


def font_files(bodies, face_code: str = "SC") -> tuple[list[tuple[str, bytes]], bytes]:
    """[(href under OEBPS, WOFF2 bytes)] and css/fonts.css."""
    chars = book_characters(bodies)
    wanted = faces(face_code)
    fonts = _map(subset_font, [FONT_DIR / file for file, _ in wanted], [chars] * len(wanted),
                 [face_code] * len(wanted))
    files, rules = [], []
    for (file, family), data in zip(wanted, fonts):
        href = f"fonts/{Path(file).stem}-{face_code}-subset.woff2"
        files.append((href, data))
        rules.append(f'@font-face {{\n  font-family: "{family}";\n  font-style: normal;\n'
                     f'  src: url("../{href}") format("woff2");\n}}\n')
    head = (f"/* Subsets of Noto Serif CJK {face_code} and Noto Sans CJK {face_code} (SIL Open Font License 1.1, see the\n"
            "   name table of each font) with exactly the characters this book sets;\n"
            "   U+2005 added, drawn by the space glyph. */\n")
    return files, (head + "".join(rules)).encode("utf-8")


# --- the package ----------------------------------------------------------------------------------

MEDIA = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif", ".webp": "image/webp"}


def picture_files(parts, folder: Path | None) -> list[tuple[str, bytes, str]]:
    """The issue's pictures as the book's files: each <img> from the issue folder is pointed at
    pictures/NAME (numbered in reading order, so that file names from any extractor are safe
    hrefs) → [(href, bytes, media type)]."""
    files, named = [], {}
    for _, _, body, _ in parts:
        for img in body.iter(f"{{{XHTML}}}img"):
            src = img.attrib.pop("data-dpi", None) and img.get("src")
            if not src or folder is None:
                continue
            if src not in named:
                ext = Path(src).suffix.lower()
                named[src] = f"pictures/p{len(named) + 1}{'.jpg' if ext == '.jpeg' else ext}"
                files.append((named[src], (folder / src).read_bytes(), MEDIA.get(ext, "image/jpeg")))
            img.set("src", named[src])
    return files


def scrollable_tables(parts) -> None:
    """A table wider than a phone scrolls in its wrapper (epub.css): the wrapper takes the keyboard's
    focus so that it can be scrolled without a pointer (WCAG 2.1.1, Ace's scrollable-region-focusable),
    named by the table's caption when it has one."""
    for _, _, body, _ in parts:
        for wrap in body.iter(f"{{{XHTML}}}div"):
            if "table-wrap" not in (wrap.get("class") or "").split():
                continue
            wrap.set("tabindex", "0")
            table = wrap.find(f"{{{XHTML}}}table")
            caption = table.find(f"{{{XHTML}}}caption") if table is not None else None
            if caption is not None and table.get("id"):
                caption.set("id", f"{table.get('id')}-caption")
                wrap.set("role", "region")
                wrap.set("aria-labelledby", caption.get("id"))


def write_epub(issue: Issue, target: Path, page_starts: dict | None = None, embed_fonts: bool = False,
               folder: Path | None = None) -> None:
    import datetime
    from ebooklib import epub as eb
    t = build_time(issue)
    stamp = t[:6] if t.tm_year >= 1980 else (1980, 1, 1, 0, 0, 0)
    parts = epub_parts(issue)
    pictures = picture_files(parts, folder)
    scrollable_tables(parts)
    pages = mark_pages(page_starts or {}, parts)
    nav = _nav(issue, pages)
    docs = [(name, title, body, typ) for name, title, body, typ in parts] + [
        ("nav.xhtml", issue_words(issue)["contents"], nav, None)]

    face_code = face(issue.meta.language)
    fonts, fonts_css = [], b""
    if embed_fonts:
        fonts, fonts_css = font_files([body for _, _, body, _ in parts] + nav, face_code)
    sheets = ("css/fonts.css", "css/epub.css") if embed_fonts else ("css/epub.css",)

    items, spine = [], []        # (id, href, media type, properties, bytes); ids in reading order
    for name, title, body, typ in docs:
        has_math = name != "nav.xhtml" and math.to_mathml(body)
        page = xhtml_page(issue, title, body, typ, sheets)
        if name == "nav.xhtml":
            items.append(("nav", name, "application/xhtml+xml", "nav", page))
        else:
            item_id = "x-" + name.removesuffix(".xhtml")
            items.append((item_id, name, "application/xhtml+xml", "mathml" if has_math else None, page))
            spine.append(item_id)
    for k, (href, data, media) in enumerate(pictures, 1):
        items.append((f"picture-{k}", href, media, None, data))
    cover, cover_media = cover_image(issue, folder)
    items.append(("cover-image", cover_href(issue), cover_media, "cover-image", cover))
    items.append(("css", "css/epub.css", "text/css", None, book_css(face_code)))
    if embed_fonts:
        items.append(("css-fonts", "css/fonts.css", "text/css", None, fonts_css))
        for k, (href, data) in enumerate(fonts, 1):
            items.append((f"font-{k}", href, "font/woff2", None, data))
    figures = [b for b in issue.front + [b for a in issue.articles for b in a.blocks] if isinstance(b, Figure)]
    described = all(f.alt_from in DESCRIBED for f in figures)
    book = _book(issue, items, spine, _ncx_toc(issue), paged=bool(pages), pictures=bool(pictures),
                 described=described)
    package = io.BytesIO()
    # no guide, no generated nav or landmarks: the nav document above has them
    eb.write_epub(package, book, {"mtime": datetime.datetime(*t[:6]), "epub2_guide": False,
                                  "epub3_landmark": False, "epub3_pages": False, "raise_exceptions": True})
    Path(target).write_bytes(_settled(package.getvalue(), issue.meta.language, stamp))
