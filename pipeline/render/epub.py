"""The EPUB 3 edition: one XHTML document per article and per front or back
matter part, a nav document, an in-book contents page, a generated cover.

Packaged here with lxml and zipfile rather than ebooklib: ebooklib cannot put
xml:lang on the OPF package element (Ace flags it), stamps dcterms:modified
and the zip entries with the current time (no reproducible builds), and has
no page-list support worth the detour; the package is ~150 lines of plain XML.
"""
from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

from lxml import etree

from ..model import Issue
from .xhtml import (E, EPUB_NS, XHTML, XML_LANG, article_element, blocks_element, colophon_element,
                    contents_element, cover_element, sub)

ROOT = Path(__file__).resolve().parents[2]
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"


def build_time(issue: Issue) -> time.struct_time:
    """SOURCE_DATE_EPOCH when set, else the first day of the issue's month."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return time.gmtime(int(os.environ["SOURCE_DATE_EPOCH"]))
    y, m = (issue.meta.date.split("-") + ["1"])[:2]
    try:
        return time.strptime(f"{int(y):04d}-{int(m):02d}-01", "%Y-%m-%d")
    except ValueError:
        return time.gmtime(0)


def xhtml_page(issue: Issue, title: str, body_el, body_type: str | None = None) -> bytes:
    """One XHTML content document; `body_el` is an element or a list of them."""
    lang = issue.meta.language
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": EPUB_NS})
    html.set("lang", lang)
    html.set(XML_LANG, lang)
    head = sub(html, "head")
    sub(head, "meta", {"charset": "utf-8"})
    sub(head, "title", text=title)
    sub(head, "link", {"rel": "stylesheet", "type": "text/css", "href": "css/epub.css"})
    body = sub(html, "body")
    if body_type:
        body.set(f"{{{EPUB_NS}}}type", body_type)
    for el in body_el if isinstance(body_el, list) else [body_el]:
        body.append(el)
    return etree.tostring(html, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


def cover_png(issue: Issue) -> bytes:
    """A cover drawn from the metadata with the CJK fonts (Pillow)."""
    from PIL import Image, ImageDraw, ImageFont
    w, h = 1400, 1900
    img = Image.new("RGB", (w, h), (11, 79, 138))
    draw = ImageDraw.Draw(img)

    def font(size, bold=False):
        name = "NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc"
        for d in ("/usr/share/fonts/opentype/noto",):
            p = Path(d) / name
            if p.exists():
                return ImageFont.truetype(str(p), size, index=2)  # index 2: the SC face
        return ImageFont.load_default(size)
    m = issue.magazine
    draw.text((120, 300), m.get("masthead", issue.meta.title), font=font(220, True), fill="white")
    draw.text((125, 580), m.get("masthead_en", issue.meta.subtitle), font=font(56), fill="white")
    draw.text((125, 820), issue.meta.number or issue.meta.date_label, font=font(80), fill="white")
    draw.text((125, 930), issue.meta.date_label, font=font(64), fill="white")
    draw.text((125, 1700), issue.meta.publisher, font=font(48), fill="white")
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _files_of_ids(issue: Issue) -> dict[str, str]:
    """Every element id of the EPUB → the file that holds it."""
    where = {}
    for name, _, body, _ in epub_parts(issue):
        for el in body.iter():
            if isinstance(el.tag, str) and el.get("id"):
                where[el.get("id")] = name
    return where


def _nav(issue: Issue) -> bytes:
    nav_root = E("div")
    toc = sub(nav_root, "nav", {"id": "toc", "role": "doc-toc"})
    toc.set(f"{{{EPUB_NS}}}type", "toc")
    sub(toc, "h1", text="目录")
    ol = sub(toc, "ol")
    li = sub(ol, "li")
    sub(li, "a", {"href": "contents.xhtml"}, text="目录")
    for s in issue.sections:
        li = sub(ol, "li")
        first = s.articles[0].id if s.articles else None
        sub(li, "a", {"href": f"{first}.xhtml"}, text=s.name)
        sol = sub(li, "ol")
        for a in s.articles:
            sub(sub(sol, "li"), "a", {"href": f"{a.id}.xhtml"}, text=a.title)
    li = sub(ol, "li")
    sub(li, "a", {"href": "colophon.xhtml"}, text="版权页")
    if issue.page_starts:
        pages = sub(nav_root, "nav", {"id": "page-list", "hidden": "hidden"})
        pages.set(f"{{{EPUB_NS}}}type", "page-list")
        sub(pages, "h2", text="页码")
        pol = sub(pages, "ol")
        where = _files_of_ids(issue)
        numbers = sorted(issue.page_starts)
        for k, number in enumerate(numbers):
            # a section opener has no page of its own in the EPUB: what follows it stands for it
            names = [n for m in numbers[k:k + 2] for n in issue.page_starts[m]]
            target = next((n for n in names if n in where), None)
            if target:
                sub(sub(pol, "li"), "a", {"href": f"{where[target]}#{target}"}, text=str(number))
    land = sub(nav_root, "nav", {"id": "landmarks", "hidden": "hidden"})
    land.set(f"{{{EPUB_NS}}}type", "landmarks")
    sub(land, "h2", text="导览")
    lol = sub(land, "ol")
    first_article = issue.articles[0].id if issue.articles else "contents"
    for typ, href, label in [("cover", "cover.xhtml", "封面"), ("toc", "contents.xhtml", "目录"),
                             ("bodymatter", f"{first_article}.xhtml", "正文")]:
        a = sub(sub(lol, "li"), "a", {"href": href}, text=label)
        a.set(f"{{{EPUB_NS}}}type", typ)
    return xhtml_page(issue, "目录", list(nav_root))


def _opf(issue: Issue, manifest, spine, modified: str) -> bytes:
    meta = issue.meta
    pkg = etree.Element(f"{{{OPF_NS}}}package", nsmap={None: OPF_NS, "dc": DC_NS})
    pkg.set("version", "3.0")
    pkg.set("unique-identifier", "pub-id")
    pkg.set(XML_LANG, meta.language)
    pkg.set("prefix", "schema: http://schema.org/")
    md = etree.SubElement(pkg, f"{{{OPF_NS}}}metadata")

    def dc(name, text, **attrs):
        el = etree.SubElement(md, f"{{{DC_NS}}}{name}", attrs)
        el.text = text
        return el
    dc("identifier", meta.identifier, id="pub-id")
    dc("title", meta.title, id="title")
    dc("title", meta.subtitle, id="subtitle")
    dc("language", meta.language)
    dc("publisher", meta.publisher)
    dc("date", meta.date)
    for subj in issue.magazine.get("subjects", ["集成电路", "半导体"]):
        dc("subject", subj)

    def prop(name, text, **attrs):
        el = etree.SubElement(md, f"{{{OPF_NS}}}meta", {"property": name, **attrs})
        el.text = text
    prop("title-type", "main", refines="#title")
    prop("title-type", "subtitle", refines="#subtitle")
    prop("dcterms:modified", modified)
    prop("schema:accessMode", "textual")
    prop("schema:accessModeSufficient", "textual")
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "table", "displayTransformability"]
    for feat in features + (["pageNavigation"] if issue.page_starts else []):
        prop("schema:accessibilityFeature", feat)
    if issue.page_starts:   # whose page numbers the page-list gives
        dc("source", f"{issue.meta.title} {issue.meta.number or issue.meta.date_label}（印刷版）")
    prop("schema:accessibilityHazard", "none")
    prop("schema:accessibilitySummary",
         "全文为可重排文本，标题层级、目录导航和表格表头均已标注；封面为装饰性图片，其文字亦见于正文。")
    prop("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA")
    etree.SubElement(md, f"{{{OPF_NS}}}meta", {"name": "cover", "content": "cover-image"})
    man = etree.SubElement(pkg, f"{{{OPF_NS}}}manifest")
    for item_id, href, media, props in manifest:
        attrs = {"id": item_id, "href": href, "media-type": media}
        if props:
            attrs["properties"] = props
        etree.SubElement(man, f"{{{OPF_NS}}}item", attrs)
    sp = etree.SubElement(pkg, f"{{{OPF_NS}}}spine")
    for item_id in spine:
        etree.SubElement(sp, f"{{{OPF_NS}}}itemref", {"idref": item_id})
    return etree.tostring(pkg, xml_declaration=True, encoding="utf-8", pretty_print=True)


CONTAINER = b"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""


def epub_parts(issue: Issue):
    """(file name, title, body element, epub:type) in reading order."""
    parts = []
    cover = E("section", {"class": "cover-page"})
    img = sub(cover, "img", {"src": "images/cover.png", "alt": f"封面：{issue.meta.title} {issue.meta.date_label}"})
    img.set("role", "doc-cover")
    parts.append(("cover.xhtml", "封面", cover, "cover"))
    parts.append(("contents.xhtml", "目录",
                  contents_element(issue, href=lambda a: f"{a.id}.xhtml", page_numbers=False), "frontmatter"))
    if issue.front:
        parts.append(("front.xhtml", issue.meta.title, blocks_element("section", "front-matter", issue.front, "front"),
                      "frontmatter"))
    for s in issue.sections:
        for a in s.articles:
            parts.append((f"{a.id}.xhtml", a.title, article_element(a, s.name, heading_level=1), "bodymatter"))
    parts.append(("colophon.xhtml", "版权页", colophon_element(issue), "backmatter"))
    return parts


def write_epub(issue: Issue, target: Path, embed_fonts: bool = False) -> None:
    t = build_time(issue)
    modified = time.strftime("%Y-%m-%dT%H:%M:%SZ", t)
    stamp = t[:6] if t.tm_year >= 1980 else (1980, 1, 1, 0, 0, 0)
    files: list[tuple[str, bytes]] = []
    manifest, spine = [], []
    for name, title, body, typ in epub_parts(issue):
        item_id = "x-" + name.removesuffix(".xhtml")
        files.append((f"OEBPS/{name}", xhtml_page(issue, title, body, typ)))
        manifest.append((item_id, name, "application/xhtml+xml", None))
        spine.append(item_id)
    files.append(("OEBPS/nav.xhtml", _nav(issue)))
    manifest.append(("nav", "nav.xhtml", "application/xhtml+xml", "nav"))
    files.append(("OEBPS/images/cover.png", cover_png(issue)))
    manifest.append(("cover-image", "images/cover.png", "image/png", "cover-image"))
    files.append(("OEBPS/css/epub.css", (ROOT / "styles" / "epub.css").read_bytes()))
    manifest.append(("css", "css/epub.css", "text/css", None))
    files.insert(0, ("OEBPS/content.opf", _opf(issue, manifest, spine, modified)))

    with zipfile.ZipFile(target, "w") as z:
        info = zipfile.ZipInfo("mimetype", date_time=stamp)
        info.compress_type = zipfile.ZIP_STORED
        z.writestr(info, b"application/epub+zip")
        for name, data in [("META-INF/container.xml", CONTAINER)] + files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
