"""render: the document model → semantic XHTML, built with lxml (escaped by
construction).  One writer serves the PDFs (one document) and the EPUB (one
document per part); layout lives in styles/."""
from __future__ import annotations

import os
import re
import time
import unicodedata

from lxml import etree

from ..model import Article, Block, Figure, Heading, Issue, ListBlock, Paragraph, Run, Table, plain
from ..text import HAN, HAN_LATIN_GAP, OWN_NUMBER
from .titles import halves
from .words import issue_words, script

XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_NS = "http://www.idpf.org/2007/ops"
# where the Han–Latin gap goes (W3C clreq: about a quarter em; text.HAN_LATIN_GAP, which may end
# but not start a line)
GAP_AT = re.compile(f"(?<=[{HAN}])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])(?=[{HAN}])")
# a Latin word in CJK text that may be hyphenated at a line end: letters only,
# capitalised at most at its start or at each part of a compound (TrendForce),
# no acronym (MOSFET, SiemensEDA), not glued to digits or marks (InFO_oS, RISC-V);
# tagged as English -- the words a Chinese or Japanese text borrows in Latin
# letters are, and reading systems then hyphenate and pronounce them as such
LATIN_WORD = re.compile(r"(?<![A-Za-z0-9_\-./@:])(?:[A-Z]?[a-z]{2,}){1,4}(?![A-Za-z0-9_\-/@])")
LATIN_LANG = "en"
HYPHENATABLE = 6    # letters at least: shorter words never break well
MARK_TAG = {"b": "b", "u": "u", "i": "i", "sup": "sup", "sub": "sub", "tex": "code"}
MARK_ORDER = ["b", "i", "u", "sup", "sub", "tex"]


def E(tag, attrs=None, *children, text=None):
    el = etree.Element(f"{{{XHTML}}}{tag}", nsmap={None: XHTML})
    for k, v in (attrs or {}).items():
        if v is not None:
            el.set(k, str(v))
    if text is not None:
        el.text = text
    for c in children:
        el.append(c)
    return el


def sub(parent, tag, attrs=None, text=None):
    el = etree.SubElement(parent, f"{{{XHTML}}}{tag}")
    for k, v in (attrs or {}).items():
        if v is not None:
            el.set(k, str(v))
    if text is not None:
        el.text = text
    return el


def with_gap(text: str) -> str:
    return GAP_AT.sub(HAN_LATIN_GAP, text)


def _append_text(parent, text):
    """Append text (with line breaks as <br/>) at the end of parent."""
    parts = text.split("\n")
    for k, part in enumerate(parts):
        if k:
            parent.append(E("br"))
        if not part:
            continue
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + part
        else:
            parent.text = (parent.text or "") + part


def _append_words(parent, text):
    """Append text, each hyphenatable Latin word (LATIN_WORD) in a span of its language."""
    start = 0
    for m in LATIN_WORD.finditer(text):
        if len(m.group()) < HYPHENATABLE:
            continue
        _append_text(parent, text[start:m.start()])
        span = E("span")
        _lang(span, LATIN_LANG)
        span.text = m.group()
        parent.append(span)
        start = m.end()
    _append_text(parent, text[start:])


def add_runs(parent, runs: list[Run], gap: bool = True, latin: bool = False):
    """Runs → text and nested inline elements.  A gap is inserted between Han and
    Latin also across run boundaries.  With `latin` (a CJK paragraph), its
    longer Latin words are tagged (_append_words)."""
    prev_char = ""
    for r in runs:
        if "math" in r.marks:    # TeX, typeset by each writer (render/math.py); the CSS spaces it
            sub(parent, "span", {"class": "math"}, text=r.text)
            prev_char = ""
            continue
        text = r.text
        if gap:
            if prev_char and text and GAP_AT.match(prev_char + text[0], 1):
                text = HAN_LATIN_GAP + text
            text = with_gap(text)
        if r.text:
            prev_char = r.text[-1]
        marks = [m for m in MARK_ORDER if m in r.marks]
        if marks or r.lang:
            outer = inner = None
            for tag in [MARK_TAG[m] for m in marks] + (["span"] if r.lang else []):
                el = E(tag)
                if tag == "span":
                    _lang(el, r.lang)
                if outer is None:
                    outer = el
                else:
                    inner.append(el)
                inner = el
            (_append_words if latin and not r.lang and "tex" not in r.marks else _append_text)(inner, text)
            parent.append(outer)
        else:
            (_append_words if latin else _append_text)(parent, text)


def _lang(el, lang):
    if lang:
        el.set("lang", lang)
        el.set(XML_LANG, lang)


# a table of no more rows and text than this is short enough for any page: never split
WHOLE_TABLE_ROWS, WHOLE_TABLE_TEXT = 15, 900


SHORT_CELL_EM = 6    # a cell of no more text than this (in em) is one word: it never wraps


def _width_em(text: str) -> float:
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


def _cell_class(c, numeric: bool = False) -> str | None:
    """`num` (right-aligned, tabular figures) and `short`: a label or value of a few characters
    (对比维度, 2019年) that a narrow column must not stack one character a line."""
    text = plain(c.runs)
    classes = (["num"] if numeric else []) + (["short"] if "\n" not in text and 0 < _width_em(text) <= SHORT_CELL_EM else [])
    return " ".join(classes) or None


def _numeric_columns(rows) -> set[int]:
    """Columns whose body cells are all numbers (tables without spanning cells only)."""
    if any(c.colspan > 1 or c.rowspan > 1 for r in rows for c in r.cells) or len({len(r.cells) for r in rows}) != 1:
        return set()
    body = [r for r in rows if r.role == "body"]
    return {k for k in range(len(rows[0].cells))
            if body and all(r.cells[k].numeric or not plain(r.cells[k].runs).strip() for r in body)
            and any(r.cells[k].numeric for r in body)}


# em of table text (7.5 pt, common.css) one text column holds: 82.5 mm of a 172 mm type area in two
# columns 7 mm apart, less a little
NARROW_TABLE_EM = 29
CELL_PADDING_EM = 0.9


def _narrow(t: Table) -> bool:
    """Whether the table's columns, each as wide as its widest cell, fit one text column."""
    if any(c.colspan > 1 for r in t.rows for c in r.cells):
        return False
    widths: dict[int, float] = {}
    for r in t.rows:
        for k, c in enumerate(r.cells):
            widths[k] = max(widths.get(k, 0), max((_width_em(line) for line in plain(c.runs).split("\n")), default=0))
    return sum(widths.values()) + CELL_PADDING_EM * len(widths) <= NARROW_TABLE_EM


def render_table(t: Table, table_id: str, words: dict):
    # what the page head says where the table runs on from the previous page
    continued = words["table_continued"] + (words["colon"] + plain(t.caption) if t.caption else "")
    body_rows = sum(1 for r in t.rows if r.role != "head")
    whole = body_rows <= WHOLE_TABLE_ROWS and sum(len(plain(c.runs)) for r in t.rows for c in r.cells) <= WHOLE_TABLE_TEXT
    wrap = E("div", {"class": "table-wrap" + (" table-whole" if whole else "") + (" table-narrow" if _narrow(t) else "")})
    _lang(wrap, t.lang)
    table = sub(wrap, "table", {"id": table_id})
    if t.caption:
        cap = sub(table, "caption")
        add_runs(cap, t.caption)
    head = [r for r in t.rows if r.role == "head"]
    body = [r for r in t.rows if r.role != "head"]
    numeric = _numeric_columns(t.rows)
    if head:
        thead = sub(table, "thead")
        for r in head:
            tr = sub(thead, "tr")
            for k, c in enumerate(r.cells):
                scope = ("colgroup" if c.colspan > 1 else "col") if c.header else None
                add_runs(sub(tr, "th" if c.header else "td", {
                    "scope": scope, "class": _cell_class(c, k in numeric),
                    "colspan": c.colspan if c.colspan > 1 else None,
                    "rowspan": c.rowspan if c.rowspan > 1 else None}), c.runs)
    tbody = sub(table, "tbody", {"data-continued": continued})
    for r in body:
        tr = sub(tbody, "tr", {"class": r.role if r.role != "body" else None})
        for k, c in enumerate(r.cells):
            if r.role == "group":
                cell = sub(tr, "th", {"scope": "rowgroup", "colspan": c.colspan})
            elif c.header and k == 0:   # a label over several rows heads them all
                cell = sub(tr, "th", {"scope": "rowgroup" if c.rowspan > 1 else "row", "class": _cell_class(c),
                                      "rowspan": c.rowspan if c.rowspan > 1 else None})
            else:
                cell = sub(tr, "td", {"class": _cell_class(c, c.numeric),
                                      "colspan": c.colspan if c.colspan > 1 else None,
                                      "rowspan": c.rowspan if c.rowspan > 1 else None})
            add_runs(cell, c.runs)
    for note in t.notes:
        p = sub(wrap, "p", {"class": "table-note"})
        add_runs(p, note)
    return wrap


# a picture spans both columns when it is landscape and has the pixels for it (at its natural size,
# the resolution it was cropped at, it is at least this wide); else it takes a column at most
WIDE_RATIO, WIDE_MM = 1.4, 120.0


def natural_mm(f: Figure) -> tuple[float, float]:
    """The picture's size as it was printed where it was cropped from (pixels at their resolution)."""
    return f.size[0] / f.dpi * 25.4, f.size[1] / f.dpi * 25.4


DESCRIBED = ("extractor", "image-text", "caption", "editor")   # alt texts that say what the picture shows


def figure_alt(f: Figure, words: dict) -> str:
    """What a reader who cannot see the picture is told: its description, else the passage it
    illustrates named as such, else nothing (decorative)."""
    if f.alt:
        return f.alt
    return words["figure_undescribed"] + f.near if f.near else ""


def render_figure(f: Figure, figure_id: str, words: dict):
    """<figure> with its picture and caption; `src` is the file in the issue folder (the writers
    point it at their own copy).  A picture with no text for it is marked decorative."""
    width, height = natural_mm(f)
    wide = height and width / height >= WIDE_RATIO and width >= WIDE_MM
    fig = E("figure", {"id": figure_id, "class": "figure " + ("figure-wide" if wide else "figure-column")})
    _lang(fig, f.lang)
    # the PDF writer sets it at the resolution it was cropped at (data-dpi), the EPUB to the screen
    alt = figure_alt(f, words)
    sub(fig, "img", {"src": f.file, "alt": alt, "role": None if alt else "presentation",
                     "data-dpi": f"{f.dpi:g}"})
    if f.caption or f.notes:
        cap = sub(fig, "figcaption")
        add_runs(cap, f.caption)
        for note in f.notes:
            if len(cap) or cap.text:
                cap.append(E("br"))
            add_runs(sub(cap, "span", {"class": "figure-source"}), note)
    return fig


def render_block(b: Block, ids: "IdMaker", words: dict, shift: int = 0, cjk: bool = False):
    """One block as XHTML; `cjk`: the text around it is Chinese, Japanese or Korean."""
    if isinstance(b, Heading):
        h = E(f"h{max(1, min(b.level + shift, 6))}", {"id": ids.next("h")})
        add_runs(h, b.runs)
        return h
    if isinstance(b, Paragraph):   # ids let the EPUB's page-list point at print pages
        p = E("p", {"class": b.role if b.role != "body" else None, "id": ids.next("p")})
        _lang(p, b.lang)
        add_runs(p, b.runs, latin=cjk and (b.lang is None or script(b.lang) != "Latn"))
        return p
    if isinstance(b, ListBlock):
        # items that carry their own number (（一） 1、 ① (a)) get no bullet or number besides
        own = bool(b.items) and all(OWN_NUMBER.match(plain(item).lstrip()) for item in b.items)
        lst = E("ol" if b.ordered else "ul", {"start": b.start if b.ordered and b.start != 1 and not own else None,
                                              "id": ids.next("l"), "class": "numbered-items" if own else None})
        _lang(lst, b.lang)
        for item in b.items:
            li = sub(lst, "li")
            add_runs(li, item)
        return lst
    if isinstance(b, Table):
        return render_table(b, ids.next("t"), words)
    if isinstance(b, Figure):
        return render_figure(b, ids.next("f"), words)
    raise TypeError(f"no renderer for {type(b).__name__}")


class IdMaker:
    """Stable ids: the same source gives the same ids."""

    def __init__(self, prefix: str):
        self.prefix, self.n = prefix, 0

    def next(self, kind: str) -> str:
        self.n += 1
        return f"{self.prefix}-{kind}{self.n}"


def tables_by_id(issue: Issue) -> dict[str, Table]:
    """The id each table gets in the documents (as IdMaker numbers blocks) → the table."""
    return _blocks_by_id(issue, Table, "t")


def figures_by_id(issue: Issue) -> dict[str, Figure]:
    """The id each picture gets in the documents → the picture."""
    return _blocks_by_id(issue, Figure, "f")


def _blocks_by_id(issue: Issue, kind, letter: str) -> dict:
    found = {}
    for prefix, blocks in [("front", issue.front)] + [(a.id, a.blocks) for s in issue.sections
                                                       for a in s.articles]:
        for k, b in enumerate(blocks, 1):
            if isinstance(b, kind):
                found[f"{prefix}-{letter}{k}"] = b
    return found


def article_element(a: Article, section_name: str, words: dict, heading_level: int = 2, lang: str = ""):
    art = E("article", {"id": a.id, "class": "article"})
    header = sub(art, "header", {"class": "article-head"})
    if section_name:
        sub(header, "p", {"class": "section-label"}, text=section_name)
    else:       # an article outside any section (an annex): no label, and no running head left over
        header.set("data-section", "")
    h = sub(header, f"h{heading_level}", {"class": "article-title"})
    title = with_gap(a.title)
    parts = halves(title, lang)
    if parts:     # two halves, each breaking between words only (render/titles.py, common.css)
        for half in parts:
            span = sub(h, "span", {"class": "title-half"})
            for word in half:
                sub(span, "span", {"class": "w"}, text=word)
    else:
        _append_text(h, title)
    body = sub(art, "div", {"class": "article-body"})
    ids = IdMaker(a.id)
    for b in a.blocks:
        body.append(render_block(b, ids, words, shift=heading_level - 2, cjk=script(lang or "en") != "Latn"))
    if a.source:
        p = sub(art, "p", {"class": "source"})
        _append_text(p, words["source"] + with_gap(a.source))
    return art


def blocks_element(tag: str, cls: str, blocks: list[Block], prefix: str, words: dict):
    el = E(tag, {"class": cls, "id": prefix})
    ids = IdMaker(prefix)
    for b in blocks:
        el.append(render_block(b, ids, words))
    return el


def add_disclaimer(parent, issue: Issue) -> None:
    """The disclaimer under its heading, if the magazine has one (no heading over nothing)."""
    if not (issue.disclaimer or "").strip():
        return
    box = sub(parent, "aside", {"class": "disclaimer"})
    sub(box, "p", {"class": "disclaimer-title"}, text=issue_words(issue)["disclaimer"])
    sub(box, "p", text=with_gap(issue.disclaimer))


def contents_element(issue: Issue, href=lambda a: f"#{a.id}", links=True, page_numbers=True):
    words = issue_words(issue)
    nav = E("nav", {"id": "contents", "class": "contents"})
    sub(nav, "h1", {"class": "contents-title"}, text=words["contents"])
    if words["contents_subtitle"]:
        sub(nav, "p", {"class": "contents-subtitle"}, text=words["contents_subtitle"])
    for s in issue.sections:
        sec = sub(nav, "section", {"class": "contents-section" + ("" if s.name else " contents-unsectioned")})
        if s.name:
            sub(sec, "h2", text=s.name)
        ol = sub(sec, "ol")
        for a in s.articles:
            li = sub(ol, "li")
            target = href(a)
            link = sub(li, "a" if links else "span", {"href": target if links else None,
                                                       "data-target": target if page_numbers else None,
                                                       "class": "toc-entry"})
            _append_text(link, with_gap(a.title))
    add_disclaimer(nav, issue)
    return nav


LEDE = 56     # characters of an article's first sentence that a section's opening page quotes


def lede(a: Article) -> str:
    """The start of an article's first sentence, as the section's opening page quotes it."""
    first = next((b.text for b in a.blocks if isinstance(b, Paragraph) and b.role == "body" and b.text.strip()), "")
    first = " ".join(first.split())
    m = re.search(r"[。！？!?]", first)
    sentence = first[:m.end()] if m else first
    return sentence if len(sentence) <= LEDE else sentence[:LEDE].rstrip("，、；：,;: ") + "…"


OPENER_FEW, OPENER_MOST = 6, 14   # articles an opening page lists at ease; with their first lines at most


def opener_contents(s, links: bool = True):
    """A section's opening page: its articles, each with its page and the start of its first sentence."""
    ol = E("ol", {"class": "opener-contents"})
    for a in s.articles:
        li = sub(ol, "li")
        title = sub(li, "a" if links else "span", {"href": f"#{a.id}" if links else None,
                                                  "data-target": f"#{a.id}", "class": "toc-entry"})
        _append_text(title, with_gap(a.title))
        line = lede(a) if len(s.articles) <= OPENER_MOST else ""
        if line:
            sub(li, "p", {"class": "opener-lede"}, text=with_gap(line))
    return ol


def colophon_element(issue: Issue, heading_level: int = 2):
    col = E("section", {"class": "colophon", "id": "colophon"})
    pub = issue.magazine.get("publisher", {})
    sub(col, f"h{heading_level}", {"class": "colophon-title"}, text=masthead(issue))
    for b in issue.back:
        p = sub(col, "p")
        for k, line in enumerate(b.text.split("\n")):
            if k:
                p.append(E("br"))
            _append_text(p, with_gap(line))
    if not issue.back and pub:
        for line in [pub.get("name", "")] + pub.get("lines", []):
            sub(col, "p", text=with_gap(line))
    add_disclaimer(col, issue)
    return col


def masthead(issue: Issue) -> str:
    """The publication's name as the cover prints it: magazine.toml's masthead, else the issue's title."""
    return issue.magazine.get("masthead") or issue.meta.title


def masthead_en(issue: Issue) -> str:
    return issue.magazine.get("masthead_en") or issue.meta.subtitle


def cover_alt(issue: Issue) -> str:
    words = issue_words(issue)
    return f"{words['cover']}{words['colon']}{issue.meta.title} {issue.meta.date_label}"


def cover_element(issue: Issue):
    name = masthead(issue)
    if issue.meta.cover:     # the issue's own cover picture, to the trim (and the bleed in print)
        cover = E("section", {"class": "cover cover-picture", "id": "cover", "data-masthead": name})
        sub(cover, "img", {"class": "cover-image", "src": issue.meta.cover, "data-dpi": "0", "alt": cover_alt(issue)})
        return cover
    cover = E("section", {"class": "cover", "id": "cover"})
    # the cover sets a name of a few characters large; a longer one (in em: Latin letters
    # count about half) at a size that does not break every word
    width = sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in name)
    sub(cover, "p", {"class": "masthead" + (" masthead-long" if width > 8 else "")}, text=name)
    sub(cover, "p", {"class": "masthead-en"}, text=masthead_en(issue))
    sub(cover, "p", {"class": "issue-line"}, text=with_gap(f"{issue.meta.number}"))
    sub(cover, "p", {"class": "issue-date"}, text=with_gap(issue.meta.date_label))
    sub(cover, "p", {"class": "publisher"}, text=issue.meta.publisher)
    return cover


def html_document(issue: Issue, stylesheet: str, edition: str):
    """The whole issue as one XHTML document, for the PDF editions."""
    lang = issue.meta.language
    words = issue_words(issue)
    # the script as a class: the faces follow it (common.css), and :lang(zh-Hant) does not match
    # lang="zh-TW" (cssselect2 matches a tag and its longer forms, zh-Hant-TW, only)
    html = E("html", {"lang": lang, "class": f"script-{script(lang)}"})
    html.set(XML_LANG, lang)
    head = sub(html, "head")
    sub(head, "meta", {"charset": "utf-8"})
    sub(head, "title", text=f"{issue.meta.title} {issue.meta.date_label}")
    sub(head, "meta", {"name": "author", "content": issue.meta.publisher})
    sub(head, "meta", {"name": "dcterms.created", "content": issue.meta.date})
    sub(head, "link", {"rel": "stylesheet", "href": stylesheet})
    body = sub(html, "body", {"class": f"edition-{edition}"})
    body.append(cover_element(issue))
    if issue.front:
        body.append(blocks_element("section", "front-matter", issue.front, "front", words))
    if len(issue.articles) > 1:      # one article (a report, a worksheet): no contents page of one line
        body.append(contents_element(issue, links=(edition != "print")))
    for s in issue.sections:
        sec = sub(body, "section", {"class": "magazine-section", "id": s.id})
        if len(issue.sections) > 1 and s.name:   # one section: no page holding only its name
            opener = sub(sec, "header", {"class": "section-opener" + (" opener-many" if len(s.articles) > OPENER_FEW else "")})
            sub(opener, "h1", {"class": "section-title"}, text=s.name)
            opener.append(opener_contents(s, links=(edition != "print")))
        for a in s.articles:
            sec.append(article_element(a, s.name, words, lang=issue.meta.language))
    colophon = colophon_element(issue)
    colophon[0].set("data-bookmark", words["colophon"])    # the PDF outline names it (common.css)
    body.append(colophon)
    return html


def serialize(html) -> bytes:
    return etree.tostring(html, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


def build_time(issue: Issue) -> time.struct_time:
    """SOURCE_DATE_EPOCH when set, else the release's day (issue.toml `modified`), else the source's
    last change recorded by git, else the first day of the issue's month."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return time.gmtime(int(os.environ["SOURCE_DATE_EPOCH"]))
    if issue.meta.modified:
        return time.strptime(issue.meta.modified, "%Y-%m-%d")
    if issue.meta.last_change:
        return time.gmtime(issue.meta.last_change)
    y, m = (issue.meta.date.split("-") + ["1"])[:2]
    try:
        return time.strptime(f"{int(y):04d}-{int(m):02d}-01", "%Y-%m-%d")
    except ValueError:
        return time.gmtime(0)
