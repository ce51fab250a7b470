"""structure: the printed contents page decides which articles exist.

Reads the contents page (contents.py) into sections and entries, finds each
entry's start in the body, cuts the body into articles, and separates front
matter (before the contents) and the colophon (at the end).  Nothing of one
issue is named here: section names come from the contents page itself.
"""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import Counter

from .contents import Entry, find_contents, kind_of
from .context import Context, Decisions
from .text import FULL_WIDTH, HAN, all_bold
from .model import Article, Block, Heading, Issue, Meta, Paragraph, Section, Span

ATTRIBUTION = re.compile(r"^\s*[（(]\s*(来源|來源|source)\s*[:：]\s*(?P<src>.+?)\s*[)）]\s*$", re.I)


# what this stage decides, each by a name an editor can switch off ([structure] disable)
DECISIONS = Decisions("structure", {
    "title_repair": "a heading that repeats the previous article's title starts the article the contents names",
    "title_from_line": "a plain line matching a contents entry starts its article",
    "subheading_levels": "sub-headings become levels 3, 4, 5 by depth; one numbered series is one level",
    "heading_outline": "no sub-heading skips a level below the one before it",
    "article_source": "an article's closing \"（来源：…）\" line is its source",
})


@functools.lru_cache(maxsize=65536)   # the same lines are compared with every contents entry
def normalize_title(s: str) -> str:
    """Compare titles across widths, spaces and punctuation."""
    s = unicodedata.normalize("NFKC", s).lower()
    return re.sub(r"[\W_]+", "", s)


def title_similarity(a: str, b: str) -> float:
    a, b = normalize_title(a), normalize_title(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if len(a) >= 6 and len(b) >= 6 and (a in b or b in a):
        return 0.95
    return difflib.SequenceMatcher(None, a, b).ratio()


MATCH = 0.8
MAX_TITLE_LINE = 160     # characters of a plain line that may stand for an article's title


def house_title(title: str) -> str:
    """Contents titles in house punctuation: full-width in Chinese context (a
    title with Han characters); a title all in Latin script keeps its own."""
    if not re.search(rf"[{HAN}]", title):
        return title.strip()
    t = re.sub(r"\s*([,:!?;])\s*", lambda m: FULL_WIDTH[m.group(1)], title)
    # keep half-width between digits (e.g. "4:3", "1,000")
    t = re.sub(r"(?<=[0-9])([，：；])(?=[0-9])", lambda m: {"，": ",", "：": ":", "；": ";"}[m.group(1)], t)
    return t.strip()


def _heading_text(b: Block) -> str | None:
    if isinstance(b, Heading):
        return b.text
    if isinstance(b, Paragraph) and all_bold(b.runs):
        return b.text      # a bold paragraph standing as a title
    return None


def locate_articles(body: list[Block], entries: list[Entry], ctx: Context) -> list[int | None]:
    """Index in `body` where each entry's article starts, in order."""
    starts: list[int | None] = []
    pos = 0
    for e in entries:
        found = None
        for k in range(pos, len(body)):
            t = _heading_text(body[k])
            if t is not None and title_similarity(t, e.title) >= MATCH:
                found = k
                break
        starts.append(found)
        if found is not None:
            pos = found + 1
    # an unmatched entry whose place holds a heading repeating the previous
    # article's title: the extractor copied the wrong title there
    for n, e in enumerate(entries):
        if starts[n] is not None or n == 0 or starts[n - 1] is None or not ctx.enabled("title_repair"):
            continue
        prev_title = entries[n - 1].title
        end = next((s for s in starts[n + 1:] if s is not None), len(body))
        for k in range(starts[n - 1] + 1, end):
            t = _heading_text(body[k])
            if t is not None and title_similarity(t, prev_title) >= MATCH:
                starts[n] = k
                ctx.log.change("title_repair", body[k].span, t, house_title(e.title), stage="structure")
                ctx.log.warn("title_repair", body[k].span,
                             f"heading repeats the title of the previous article; taken as the start of 《{e.title}》")
                break
    # an entry still unmatched may stand in the body as a plain line, set
    # neither as a heading nor in bold: a short line that matches its title
    for n, e in enumerate(entries):
        if starts[n] is not None or not ctx.enabled("title_from_line"):
            continue
        begin = next((s + 1 for s in reversed(starts[:n]) if s is not None), 0)
        end = next((s for s in starts[n + 1:] if s is not None), len(body))
        for k in range(begin, end):
            b = body[k]
            # short, or opening with the title (a running subtitle glued after it)
            if (isinstance(b, Paragraph) and "\n" not in b.text.strip()
                    and (len(b.text) <= 60 or normalize_title(b.text).startswith(normalize_title(e.title)))
                    and len(b.text) <= MAX_TITLE_LINE and title_similarity(b.text, e.title) >= MATCH):
                starts[n] = k
                ctx.log.change("title_from_line", b.span, b.text, house_title(e.title), stage="structure")
                break
    return starts


# how sub-headings are numbered: the members of one series are siblings
NUMBERING = [re.compile(p) for p in (
    r"^[一二三四五六七八九十]+[、.．]",          # 一、
    r"^[（(][一二三四五六七八九十]+[)）]",        # （一）
    r"^[（(]\d{1,2}[)）]",                       # (04)
    r"^0\d(?!\d)",                               # 01. / 02 / 03AI
    rf"^[1-9]\d?(?:[.、．]|\s|(?=[{HAN}]))",          # 1. / 3、
)]


def _series(text: str) -> int | None:
    t = text.strip().lstrip("*#•▲ ")
    return next((k for k, p in enumerate(NUMBERING) if p.match(t)), None)


def _subheading_levels(blocks: list[Block]) -> None:
    """Headings inside an article become levels 3, 4, 5 in the order of their
    source depth; the headings of one numbered series (一、二、… or 01, 02, …)
    are siblings even where the extractor gave them different depths."""
    heads = [b for b in blocks if isinstance(b, Heading)]
    levels = sorted({b.level for b in heads})
    mapping = {lvl: min(3 + k, 6) for k, lvl in enumerate(levels)}
    for b in heads:
        b.level = mapping[b.level]
    for k in range(len(NUMBERING)):
        members = [b for b in heads if _series(b.text) == k]
        if len(members) >= 2:
            level = min(b.level for b in members)
            for b in members:
                b.level = level
    # no level left empty between them
    compact = {lvl: min(3 + k, 6) for k, lvl in enumerate(sorted({b.level for b in heads}))}
    for b in heads:
        b.level = compact[b.level]


def _heading_outline(blocks: list[Block]) -> None:
    """A heading is one level below the nearest heading before it of a
    higher source level, and level with those of its own: no level is
    skipped, whatever the order the extractor gave (the article title is 2)."""
    outline: list[tuple[int, int]] = [(2, 2)]   # (source level, level given), outermost first
    for b in blocks:
        if not isinstance(b, Heading):
            continue
        while len(outline) > 1 and outline[-1][0] > b.level:
            outline.pop()
        if outline[-1][0] == b.level:
            level = outline[-1][1]
        else:
            level = outline[-1][1] + 1
            outline.append((b.level, level))
        b.level = level


def _article_body(content: list[Block], ctx: Context) -> tuple[list[Block], str | None]:
    """An article's blocks with their headings levelled, and its source."""
    source = None
    if ctx.enabled("article_source"):
        content, source = _take_source(content)
    if ctx.enabled("subheading_levels"):
        _subheading_levels(content)
    if ctx.enabled("heading_outline"):
        _heading_outline(content)
    return content, source


def _take_source(blocks: list[Block]) -> tuple[list[Block], str | None]:
    for k in range(len(blocks) - 1, -1, -1):
        b = blocks[k]
        if isinstance(b, Paragraph):
            m = ATTRIBUTION.match(b.text)
            if m:
                return blocks[:k] + blocks[k + 1:], m.group("src")
    return blocks, None


def find_colophon(body: list[Block], magazine: dict) -> int:
    """Index where the colophon starts: the last block naming the publisher."""
    names = [magazine.get("publisher", {}).get("name", "")] + magazine.get("publisher", {}).get("names", [])
    names = [n for n in names if n]
    for k in range(len(body) - 1, max(-1, len(body) - 8), -1):
        if any(n in body[k].text for n in names):
            return k
    return len(body)


def locate_groups(body: list[Block], found, starts: list[int | None]) -> dict[int, str]:
    """Body indexes of the headings that open the contents page's sections
    (`A. STRATEGIC CONTEXT`, `第一章 绪论`): each stands before its first article."""
    opens: dict[int, str] = {}
    for g in found.groups:
        first = next((n for n, e in enumerate(found.entries) if e.section == g.title and starts[n] is not None), None)
        if first is None:
            continue
        begin = next((s + 1 for s in reversed(starts[:first]) if s is not None), 0)
        for k in range(starts[first] - 1, begin - 1, -1):
            t = _heading_text(body[k])
            if t is not None and title_similarity(t, g.title) >= MATCH:
                opens[k] = g.title
                break
    return opens


def build_issue(blocks: list[Block], meta: Meta, magazine: dict, ctx: Context) -> Issue:
    issue = Issue(meta=meta, magazine=magazine, disclaimer=magazine.get("disclaimer", ""))
    found = find_contents(blocks, magazine.get("sections", []), ctx.source)
    if not found or not found.entries:
        return _issue_without_contents(blocks, issue, ctx)
    head, after, entries = found.head, found.after, found.entries
    # the contents page itself is regenerated from the model
    for b in blocks[head:after]:
        ctx.log.drop("structure.contents", b.span, b.text, "printed contents page; regenerated from the model")
    issue.front = blocks[:head]
    body = blocks[after:]
    colophon = find_colophon(body, magazine)
    issue.back = body_back = body[colophon:]
    body = body[:colophon]

    starts = locate_articles(body, entries, ctx)
    if all(s is None for s in starts):
        front = issue.front
        issue = _issue_without_contents(body, issue, ctx, "no contents entry matches a heading of the body")
        issue.front = front + issue.front
        issue.back = body_back
        return issue
    for e, s in zip(entries, starts):
        if s is None:
            ctx.log.warn("structure.unmatched_entry", e.span, f"contents entry with no article in the body: {e.title}")
    opens = locate_groups(body, found, starts)
    for k, name in opens.items():
        ctx.log.change("structure.section_heading", body[k].span, body[k].text,
                       f"opens the section 《{house_title(name)}》", stage="structure")
    # an article runs to the next article or the next section's heading; the text
    # between a section's heading and its first article is an article of that name
    located = sorted([(s, e) for s, e in zip(starts, entries) if s is not None]
                     + [(k, None) for k in opens], key=lambda x: x[0])
    first = located[0][0]
    if first > 0:
        for b in body[:first]:
            ctx.log.warn("structure.before_first_article", b.span, "text between the contents and the first article, kept in front matter")
        issue.front += body[:first]
    sections: list[Section] = []
    n_art = 0
    for n, (s, e) in enumerate(located):
        end = located[n + 1][0] if n + 1 < len(located) else len(body)
        content = body[s + 1:end]
        heading = body[s]
        if e is None:                  # a section's heading: its introduction, if it has one
            if not content:
                continue
            name = opens[s]
            e = Entry(name, name, next((g.page for g in found.groups if g.title == name), None), heading.span)
            ctx.log.warn("structure.section_text", heading.span,
                         f"text under the section heading 《{house_title(name)}》, before its first article: "
                         "set as an article of that name")
        elif normalize_title(heading.text) != normalize_title(e.title):
            ctx.log.change("title_from_contents", heading.span, heading.text, house_title(e.title), stage="structure")
        for b in content:
            if isinstance(b, Heading) and b.level <= 2:
                # a top-level heading that no contents entry names is no article
                ctx.log.change("structure.unmatched_heading", b.span, b.text,
                               f"sub-heading of 《{house_title(e.title)}》 (no contents entry names it)",
                               stage="structure")
        content, source = _article_body(content, ctx)
        # a new section wherever the name changes: articles outside any section (a preface,
        # the annexes) stay where they stand, between the sections around them
        if not sections or sections[-1].name != house_title(e.section):
            sections.append(Section(id=f"s{len(sections) + 1:02d}", name=house_title(e.section)))
        sec = sections[-1]
        n_art += 1
        art = Article(id=f"a{n_art:02d}", title=house_title(e.title), section=sec.name, blocks=content,
                      printed_page=e.page, source=source,
                      span=Span(heading.span.start, (content[-1].span.end if content else heading.span.end)))
        sec.articles.append(art)
    issue.sections = sections
    return issue


def _article_starts(blocks: list[Block]) -> tuple[list[int], str]:
    """Where articles start in a text without a contents page, and how that was
    decided.  Headings of several levels: the outermost level.  All at one
    level (as MinerU writes them): the outermost numbering that two or more of
    them share, the first to appear (第一章, A., 一、, 01) — the others are sub-headings; no
    numbering at all: the text is one article."""
    heads = [(k, b) for k, b in enumerate(blocks) if isinstance(b, Heading)]
    if not heads:
        return [], "no headings"
    levels = {b.level for _, b in heads}
    if len(levels) > 1:
        top = min(levels)
        return [k for k, b in heads if b.level == top], "the top-level headings"
    kinds = Counter(kind_of(b.text) for _, b in heads)
    # the numbering that opens the text is the outermost: 01 before the 一、 inside it
    outer = next((kind_of(b.text) for _, b in heads if kind_of(b.text) and kinds[kind_of(b.text)] >= 2), None)
    if outer is None:
        return [], "no numbered headings"
    return [k for k, b in heads if kind_of(b.text) == outer], f"the headings numbered as {outer}s"


def _issue_without_contents(blocks, issue, ctx, why="no contents page found"):
    issue.has_contents = False
    sec = Section("s01", "")     # no contents page names a section: the articles stand alone
    issue.sections = [sec]
    starts, how = _article_starts(blocks)
    if not starts:
        # one article: the issue's title, or the document's own where it opens the text
        title, content, span = issue.meta.title, blocks, (blocks[0].span if blocks else None)
        if blocks and isinstance(blocks[0], Heading) and title_similarity(blocks[0].text, title) >= MATCH:
            title, content = blocks[0].text, blocks[1:]
        ctx.log.warn("structure.contents", None, f"{why}, {how}: the whole text is one article, "
                     "its headings sub-headings")
        content, source = _article_body(content, ctx)
        sec.articles.append(Article("a01", title, sec.name, blocks=content, source=source, span=span))
        return issue
    ctx.log.warn("structure.contents", None, f"{why}: articles are taken from {how} ({len(starts)})")
    issue.front = blocks[:starts[0]]
    for n, k in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(blocks)
        content, source = _article_body(blocks[k + 1:end], ctx)
        sec.articles.append(Article(f"a{n + 1:02d}", blocks[k].text, sec.name, blocks=content, source=source,
                                    span=blocks[k].span))
    return issue
