"""contents: read a printed contents page, whatever shape the extractor gave it.

Extractors write a contents page as list items with dot leaders (`- 标题 — 05`),
as plain lines (`23.1 多边形(1) 2`, `第二章 文献综述 7`, `1. Country issues.... . 1`),
as a table (title cells, a page cell), over several pages (a `目录` or `Page`
heading again on each), and with or without a heading.  An entry is a line
that ends in a page number, after leaders or a space; a line of the page
without a number (`A. STRATEGIC CONTEXT .`) is a group heading when entries
numbered at a deeper level follow it.  The number is never part of the title.

Sections come from the page's own outline when it has one: entries of the
outermost numbering (第一章, A., Part 1, 第一单元) that have entries under
them are sections, the entries one level down are articles, deeper ones stay
sub-headings of their article; an outermost entry with nothing under it (an
annex) is an article of its own, outside any section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .inline import parse_inline
from .model import Block, Heading, ListBlock, Paragraph, Span, Table, plain

CONTENTS_HEAD = re.compile(r"^\s*(目\s*[录錄次]|table\s+of\s+contents|contents)\s*$", re.I)
# the heading of a contents page's page-number column, repeated on each page
PAGE_LABEL = re.compile(r"^\s*(pages?|p\.|页码?|頁碼?|页次|頁次)\s*$", re.I)
SECTION_MARK = re.compile(r"^\s*[•●■◆▲·]\s*")
LEADERS = "—–\\-…\\.·．_⋯"
BULLET = "▲△▶►•●■◆\\-"
# title, then leaders (with spaces among them) or at least a space, then the page number
ENTRY = re.compile(rf"^\s*[{BULLET}]?\s*(?P<title>.*?[^\s{LEADERS}])"
                   rf"(?:\s*[{LEADERS}][\s{LEADERS}]*|\s+)(?P<page>\d{{1,4}})\s*$")
# a line of a contents page without a page number: a group heading, maybe
GROUP = re.compile(rf"^\s*[{BULLET}]?\s*(?P<title>.*?[^\s{LEADERS}])[\s{LEADERS}]*$")
MAX_TITLE = 120          # characters of an entry's title; longer is prose, not a contents line
HEADLESS_MIN = 5         # entries in a run of lines taken for a contents page without a heading
HEADLESS_SHARE = 0.8     # of the lines of that run that are entries
HEADLESS_REACH = 0.4     # how far into the text (share of blocks) such a page may stand

# numbering schemes of an outline, outermost kinds first where a document mixes them
HAN_NUM = "一二三四五六七八九十百零〇两"
KINDS = (
    ("part", re.compile(rf"^(第[{HAN_NUM}\d]+[部篇编編卷]|part\s+[ivxlc\d]+\b)", re.I)),
    ("chapter", re.compile(rf"^(第[{HAN_NUM}\d]+[章讲講单單元课課]|chapter\s+\d+|unit\s+\d+|lesson\s+\d+)", re.I)),
    ("annex", re.compile(r"^(附录|附錄|附件|annex|appendix)(\s|\d|[A-Z]\b|[:：]|$)", re.I)),
    ("letter", re.compile(r"^[A-Z][.．、]\s*\S")),
    ("section", re.compile(rf"^第[{HAN_NUM}\d]+[节節]")),
    ("han", re.compile(rf"^[{HAN_NUM}]+[、.．]")),
    ("han_paren", re.compile(rf"^[（(][{HAN_NUM}]+[)）]")),
    ("decimal", re.compile(r"^\d+[.．]\d+")),
    ("number", re.compile(r"^(\d{1,3}(?:[.．、)）]|\s)|0\d(?!\d))")),     # 3. / 3、 / 01 (zero-padded: 01题型)
    ("number_paren", re.compile(r"^[（(]\d{1,3}[)）]")),
)


@dataclass
class Entry:
    section: str
    title: str
    page: int | None
    span: Span
    kind: str | None = None
    is_section: bool = False


@dataclass
class Contents:
    head: int                    # index of the first block of the contents page
    after: int                   # index just after it
    entries: list[Entry] = field(default_factory=list)     # the articles, in order
    groups: list[Entry] = field(default_factory=list)      # the sections the outline names
    marked_sections: bool = False                          # sections from `• 名称` headings


def kind_of(title: str) -> str | None:
    t = title.strip()
    return next((name for name, p in KINDS if p.match(t)), None)


def _entry(line: str, section: str, span: Span) -> Entry | None:
    m = ENTRY.match(line)
    if m and len(m.group("title")) <= MAX_TITLE and not m.group("title").isdigit():
        return Entry(section, m.group("title").strip(), int(m.group("page")), span)
    return None


def _group(line: str, section: str, span: Span) -> Entry | None:
    m = GROUP.match(line)
    if m and len(m.group("title")) <= MAX_TITLE:
        return Entry(section, m.group("title").strip(), None, span)
    return None


def _lines(b: Block, source: list[str] = ()) -> list[str] | None:
    """The lines of a block that may hold contents entries; None for a block that cannot.
    A paragraph is read in its source lines: a soft line break joined the entries."""
    if isinstance(b, ListBlock):      # numbered items keep their numbers: the outline needs them
        return [(f"{b.start + k}. " if b.ordered else "") + plain(item) for k, item in enumerate(b.items)]
    if isinstance(b, Paragraph):
        lines = [ln for ln in b.text.split("\n") if ln.strip()]
        raw = [plain(parse_inline(ln.strip())) for ln in source[b.span.start - 1:b.span.end] if ln.strip()]
        return raw if len(raw) > len(lines) else lines
    if isinstance(b, Table):
        rows = [" ".join(c.text.strip() for c in r.cells if c.text.strip()) for r in b.rows]   # title cells, page cell
        return [row for row in rows if row]
    return None


def _block_entries(b: Block, section: str, source=()) -> tuple[list[Entry], int]:
    """The entries of a block (group lines among them only where some line has a
    page number), and how many of its lines are neither."""
    lines = _lines(b, source) or []
    found = [(_entry(ln, section, b.span), ln) for ln in lines]
    if not any(e for e, _ in found):
        return [], len(lines)
    out, other = [], 0
    for e, ln in found:
        e = e or _group(ln, section, b.span)
        if e:
            out.append(e)
        else:
            other += 1
    return out, other


def _group_lines(b: Block, section: str, source=()) -> list[Entry]:
    lines = _lines(b, source) or []
    if not isinstance(b, (ListBlock, Paragraph)) or len(lines) > 2:
        return []
    return [e for e in (_group(ln, section, b.span) for ln in lines) if e]


def _read_page(blocks: list[Block], start: int, known_sections, source=()) -> tuple[int, list[Entry], bool]:
    """Entries from `start` on, to the first block that is no part of a contents page."""
    entries: list[Entry] = []
    section, marked = "", False
    j = start
    while j < len(blocks):
        b = blocks[j]
        if isinstance(b, Heading):
            t = b.text.strip()
            if CONTENTS_HEAD.match(t) or PAGE_LABEL.match(t):
                j += 1
                continue
            if SECTION_MARK.match(t) or t in known_sections:
                section, marked = SECTION_MARK.sub("", t).strip(), True
                j += 1
                continue
            e = _entry(t, section, b.span)
            if e is None or not entries:
                break
            entries.append(e)          # an entry set as a heading, on a page of entries
            j += 1
            continue
        if isinstance(b, (ListBlock, Paragraph, Table)):
            found, _ = _block_entries(b, section, source)
            if isinstance(b, Table) and not found:
                break
            if not found and j + 1 < len(blocks) and _block_entries(blocks[j + 1], section, source)[0]:
                found = _group_lines(b, section, source)     # a heading line right above entries
            entries += found
            j += 1                     # a paragraph without entries: a note on the page
            continue
        break
    # what follows the last entry (notes, a disclaimer) is part of the page only up to a heading
    return j, entries, marked


def _headless(blocks: list[Block], source=()) -> int | None:
    """The first block of a run of contents lines standing without a heading:
    at least HEADLESS_MIN entries, nearly every line one, pages never going back."""
    reach = max(1, int(len(blocks) * HEADLESS_REACH))
    k = 0
    while k < reach:
        run, lines, other, j = [], 0, 0, k
        while j < len(blocks) and isinstance(blocks[j], (ListBlock, Paragraph, Table)):
            found, rest = _block_entries(blocks[j], "", source)
            if not found:
                break
            run += found
            other += rest
            j += 1
        pages = [e.page for e in run if e.page is not None]
        if (len(pages) >= HEADLESS_MIN and len(run) >= HEADLESS_SHARE * (len(run) + other)
                and all(a <= b for a, b in zip(pages, pages[1:]))):
            return k
        k = max(j, k + 1)
    return None


def find_contents(blocks: list[Block], known_sections=(), source=()) -> Contents | None:
    """The contents page, if the text has one; `source` is the raw text's lines."""
    head = next((i for i, b in enumerate(blocks)
                 if isinstance(b, (Heading, Paragraph)) and CONTENTS_HEAD.match(b.text)), None)
    start = head + 1 if head is not None else _headless(blocks, source)
    if start is None:
        return None
    after, entries, marked = _read_page(blocks, start, known_sections, source)
    if head is None and not entries:
        return None
    found = Contents(head if head is not None else start, after, marked_sections=marked)
    if marked:     # sections named by headings of their own: the lines without a number are notes
        found.entries = [e for e in entries if e.page is not None]
    else:
        found.entries, found.groups = outline(entries)
    return found


def outline(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(articles, sections) from the numbering of a contents page's entries."""
    for e in entries:
        e.kind = kind_of(e.title)
    kinds = list(dict.fromkeys(e.kind for e in entries))
    rank = {k: n for n, k in enumerate(kinds)}
    top = kinds[0] if kinds else None
    if top in ("part", "chapter", "letter", "han", "section") and "annex" in rank:
        rank["annex"] = rank[top]                       # annexes stand beside chapters
    if None in rank and top is not None and len([k for k in kinds if k]) >= 2:
        rank[None] = rank[top]      # 摘要, 参考文献, 致谢 beside numbered chapters with numbered sections
    articles, groups, section, child = [], [], "", None
    for n, e in enumerate(entries):
        r = rank[e.kind]
        nxt = entries[n + 1] if n + 1 < len(entries) else None
        if r == 0 or rank[e.kind] == rank[top]:
            if nxt is not None and rank[nxt.kind] > r and len(kinds) > 1:
                e.is_section, section, child = True, e.title, rank[nxt.kind]
                groups.append(e)
                continue
            section, child = "", None
            if e.page is not None or len(kinds) == 1:
                e.section = ""
                articles.append(e)
            continue
        if child is None:           # below an entry that is no section: a sub-heading
            if not groups:          # no sections at all: every numbered line is an article
                e.section = ""
                articles.append(e)
            continue
        if r == child:
            e.section = section
            articles.append(e)
    return [e for e in articles if e.page is not None or e.section or not groups], groups
