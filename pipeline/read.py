"""read: raw bytes → blocks, each with the raw line span it came from."""
from __future__ import annotations

import re
from collections import Counter
from html import unescape

from lxml import etree, html as lxml_html

from .errors import InputError
from .inline import parse_inline, tidy_tex
from .model import Cell, Figure, Heading, ListBlock, Log, Paragraph, Row, Run, Span, Table
from .text import BREAKS, CONTROL, HAN_CHAR, code_point, han_count, where

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^\s{0,3}(?:(?P<bullet>[-*+])|(?P<num>\d{1,3})[.)])\s+(?P<text>.*)$")
IMAGE = re.compile(r"^\s*!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]*)\)\s*$")
HTML_TABLE_START = re.compile(r"^\s*<table\b", re.I)
DISPLAY_MATH = re.compile(r"^\s*\$\$(?P<tex>.*?)(?P<end>\$\$)?\s*$")   # $$ … $$, on one line or several
# Characters of text a build accepts.  The PDFs take about 0.08 s per 1,000
# characters each (measured: 1.75 million, one paragraph, 136 s and 920 pages
# for the screen PDF), so this bounds a build of all editions to about five
# minutes; an issue of the magazine has under 100,000, a long book 500,000.
MAX_TEXT = 2_000_000


def decode(data: bytes, path: str, log: Log) -> str:
    """Bytes → text with \n line ends.  UTF-8 (with or without BOM), UTF-16 or
    UTF-32 with BOM, GB18030 with a warning; CRLF line ends (or CR alone, in a
    file without LF) become LF with a warning; control characters are removed
    with a warning (see `sanitise`)."""
    text = _decode(data, path, log)
    if len(text) > MAX_TEXT:
        line = text[:MAX_TEXT].count("\n") + 1
        raise InputError(path, line, f"{len(text):,} characters: more than the {MAX_TEXT:,} one build sets "
                         f"(about a thousand pages); the text passes that limit on this line: split it "
                         f"into several issues")
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise InputError(path, line, "binary data (NUL character): not an extracted text")
    if "\r" in text:
        if "\r\n" in text or "\n" not in text:
            log.warn("read.line_ends", None, "CRLF or CR line ends normalised to LF")
        text = text.replace("\r\n", "\n")
        if "\n" not in text:           # a file with CR line ends (old Mac)
            text = text.replace("\r", "\n")
    text = sanitise(text, log)         # a CR alone inside a line is a control character
    if not text.strip():
        raise InputError(path, 1, "the file is empty (no text but control characters)")
    return text


def sanitise(text: str, log: Log) -> str:
    """Remove the characters of CONTROL; one warning per code point naming the
    raw lines.  A page or line break inside a line leaves a space between two
    words (none next to a Han character, as `_join_lines` joins lines); line
    feeds are never touched, so every line keeps its raw number."""
    if not CONTROL.search(text):
        return text
    found: dict[str, list[int]] = {}
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if not CONTROL.search(line):
            continue

        def repl(m, line=line, lineno=k + 1):
            for ch in m.group():
                found.setdefault(ch, []).append(lineno)
            before, after = line[m.start() - 1:m.start()], line[m.end():m.end() + 1]
            if (BREAKS & set(m.group()) and before and after and not before.isspace()
                    and not after.isspace() and not HAN_CHAR.match(before) and not HAN_CHAR.match(after)):
                return " "
            return ""
        lines[k] = CONTROL.sub(repl, line)
    for ch, lines_of in sorted(found.items()):
        at = sorted(set(lines_of))
        why = (" (a page or line break: read as a line break)" if ch in BREAKS
               else " (a bidirectional control: it would reverse the printed text)"
               if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069" else "")
        log.warn("read.control_chars", Span(at[0], at[-1]), f"{code_point(ch)} removed{why}: {where(lines_of)}")
    return "\n".join(lines)


def _decode(data: bytes, path: str, log: Log) -> str:
    if not data.strip():
        raise InputError(path, 1, "the file is empty")
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as err:
                line = data[:err.start].decode(codec, errors="ignore").count("\n") + 1
                raise InputError(path, line, f"not valid {codec.upper()} ({err.reason} at byte "
                                 f"{err.start}): save the text again as UTF-8") from None
            log.warn("read.encoding", None, f"{codec.upper()} source decoded; save it as UTF-8")
            return text
    if b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        raise InputError(path, line, "binary data (NUL byte): not an extracted text")
    if data.startswith(b"\xef\xbb\xbf"):
        log.warn("read.encoding", None, "UTF-8 byte-order mark removed")
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        bad = f"not UTF-8 text (invalid byte 0x{data[err.start]:02x})"
        if _damaged_utf8(data):
            raise InputError(path, line, f"{bad}: UTF-8 with damaged bytes (a cut or a lone "
                             "surrogate); extract the text again") from None
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(path, line, bad) from None
        if han_count(text) < len(text) * 0.05:
            raise InputError(path, line, bad)
        log.warn("read.encoding", None, "GB18030 source decoded; save it as UTF-8")
        return text


def _damaged_utf8(data: bytes) -> bool:
    """Mostly valid UTF-8 with a few bad bytes, not text in another encoding
    (GB18030 read as UTF-8 gives about one valid character in ten)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ch > "\x7f") - text.count("\ufffd")
    return good >= 20 * bad


def _join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph: hard breaks (two trailing spaces) stay
    line breaks; soft breaks vanish between Han characters, else one space."""
    out = ""
    for i, line in enumerate(lines):
        hard = line.endswith("  ")
        line = line.strip()
        if i and out and not out.endswith("\n"):
            if not (HAN_CHAR.search(out[-1]) or HAN_CHAR.search(line[:1] or "a")):
                out += " "
        out += line
        if hard and i < len(lines) - 1:
            out += "\n"
    return out


def _table_from_tsv(rows: list[tuple[int, str]]) -> Table:
    # a cell is text: `0.358***` marks significance, `_` a blank to fill
    table_rows = [Row([Cell(parse_inline(c.strip(), markdown=False)) for c in line.split("\t")])
                  for _, line in rows]
    return Table(Span(rows[0][0], rows[-1][0]), rows=table_rows)


TABLE_TAGS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col")
ANY_TAG = re.compile(r"<[A-Za-z/!][^<>]*>")
INLINE_TAG = re.compile(r"<(?!/?(?:%s)\b)[A-Za-z/!][^<>]*>" % "|".join(TABLE_TAGS), re.I)
LONE_LT = re.compile(r"<(?![A-Za-z/!][^<>]*>)")
ROW_OR_CELL_END = re.compile(r"</(?:tr|td|th|caption|thead|tbody|tfoot)\s*>", re.I)
HTML_PARSER = lxml_html.HTMLParser(huge_tree=True)   # deep inline nesting in a cell is still read


def _said(markup: str) -> Counter:
    """The characters a piece of markup says, without tags and spaces (for the accounting)."""
    return Counter(re.sub(r"\s+", "", unescape(ANY_TAG.sub("", markup))))


def _table_from_html(markup: str, span: Span, log: Log) -> list:
    """Read an HTML <table> as written by extractors such as MinerU → the table,
    and, before or after it, paragraphs of any text the markup holds outside
    its cells (a heading typed inside <table>, a line between rows).  A
    <caption> is the table's caption.  Every character of the markup is
    accounted for: what the parser could not place is warned of."""
    said = _said(markup)
    markup = LONE_LT.sub("&lt;", markup)   # `x<y` is text: the parser would take `<y …` for a tag
    parsed = _parse_table(markup)
    if parsed[-1] != said:
        # nested deeper than the parser follows, or tags it cannot place: the cells as plain text
        parsed = _parse_table(INLINE_TAG.sub("", markup))
        lost = said - parsed[-1]
        log.warn("read.table_markup", span, "the inline markup of the table's cells could not be read; "
                 "they are set as plain text" + (f"; still missing: {''.join(sorted(lost.elements()))[:80]}"
                                                 if lost else ""))
    rows, caption, before, after, _ = parsed
    for where, texts in (("before", before), ("after", after)):
        if texts:
            log.warn("read.table_stray_text", span, "text inside the table markup but outside its cells, "
                     f"set as a paragraph {where} the table: " + " / ".join(t[:40] for t in texts))
    table = Table(span, rows=rows, caption=parse_inline(caption.strip()) if caption else [])
    return ([Paragraph(span, runs=parse_inline(t)) for t in before] + [table]
            + [Paragraph(span, runs=parse_inline(t)) for t in after])


def _parse_table(markup: str):
    """→ rows, caption markup, stray markup before and after the rows, and
    the characters all of them say."""
    root = lxml_html.fragment_fromstring(markup, create_parent="div", parser=HTML_PARSER)
    rows, before, after, pieces = [], [], [], []
    caption = ""
    seen_row = False

    def stray(text):
        if text and text.strip():
            (after if seen_row else before).append(text.strip())
            pieces.append(text)

    def cell(td) -> Cell:
        inner = _inner(td)
        pieces.append(inner)
        # a line break in a cell is the extractor's, as in a paragraph
        return Cell(parse_inline(_join_lines(inner.strip().split("\n")), markdown=False), colspan=_int(td.get("colspan")),
                    rowspan=_int(td.get("rowspan")), header=td.tag.lower() == "th")

    def walk(el):
        nonlocal seen_row, caption
        for child in el:
            tag = child.tag.lower() if isinstance(child.tag, str) else None   # None: a comment
            if tag == "tr":
                cells = []
                for td in child:
                    if isinstance(td.tag, str) and td.tag.lower() in ("td", "th"):
                        cells.append(cell(td))
                    else:
                        stray(_outer(td) if isinstance(td.tag, str) else None)
                        stray(td.tail)
                stray(child.text)
                rows.append(Row(cells, role="head" if cells and all(c.header for c in cells) else "body"))
                seen_row = True
            elif tag == "caption":
                caption = _inner(child)
                pieces.append(caption)
            elif tag in ("td", "th"):                # a cell outside any row: a row of its own
                rows.append(Row([cell(child)]))
                seen_row = True
            elif tag in TABLE_TAGS:
                stray(child.text)
                walk(child)
            elif tag:                                # inline markup outside the cells
                stray(_outer(child))
            stray(child.tail)

    stray(root.text)
    walk(root)
    return rows, caption, before, after, sum((_said(p) for p in pieces), Counter())


VOID = {"br", "hr", "img", "col", "wbr"}


def _inner(el) -> str:
    """An element's content as markup whose text is plain (entities read:
    `a &lt; b` is `a < b`, as in the rest of the text) and whose tags are
    bare, for parse_inline; walked without recursion, however deep."""
    out = [el.text or ""]
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if node is el:
            continue
        tag = node.tag.lower() if isinstance(node.tag, str) else None   # None: a comment
        if event == "start" and tag:
            out.append(f"<{tag}>" + (node.text or ""))
        elif event == "end":
            out.append((f"</{tag}>" if tag and tag not in VOID else "") + (node.tail or ""))
    return "".join(out)


def _outer(el) -> str:
    return f"<{el.tag}>" + _inner(el) + f"</{el.tag}>"


def _int(value) -> int:
    try:
        return max(1, min(int(value), 1000))
    except (TypeError, ValueError):
        return 1


def source_lines(text: str) -> list[str]:
    """The raw text's lines, numbered as the blocks' spans count them (from 1)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_blocks(text: str, log: Log):
    """Split the text into blocks.  Returns a list of blocks."""
    lines = source_lines(text)
    blocks = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        lineno = i + 1
        if not line.strip():
            i += 1
            continue
        if HTML_TABLE_START.match(line):
            start = i
            while "</table>" not in lines[i].lower() and i + 1 < n and lines[i + 1].strip():
                i += 1
            if "</table>" not in lines[i].lower():
                # never closed: the table ends with its last row or cell, the lines after are text
                ends = [k for k in range(start, i + 1) if ROW_OR_CELL_END.search(lines[k])]
                i = ends[-1] if ends else start
                log.warn("read.table_unclosed", Span(start + 1, i + 1), "a <table> is never closed: "
                         f"read to its last row, line {i + 1}; the lines after it are text")
            blocks += _table_from_html("\n".join(lines[start:i + 1]), Span(start + 1, i + 1), log)
            i += 1
            continue
        if "\t" in line:
            rows = []
            while i < n and "\t" in lines[i]:
                rows.append((i + 1, lines[i]))
                i += 1
            blocks.append(_table_from_tsv(rows))
            continue
        m = DISPLAY_MATH.match(line)
        if m:
            start, tex = i, [m.group("tex")]
            if not m.group("end") or not m.group("tex").strip():   # opened here, closed on a later line
                j = i + 1
                while j < n and lines[j].strip() != "$$" and not lines[j].rstrip().endswith("$$") and j - i < 200:
                    tex.append(lines[j])
                    j += 1
                if j < n and j - i < 200:
                    tex.append(lines[j].rstrip()[:-2])
                    i = j
                else:        # never closed: the line is text
                    tex = None
            if tex is not None:
                blocks.append(Paragraph(Span(start + 1, i + 1), role="formula",
                                        runs=[Run(tidy_tex(" ".join(tex)), frozenset({"math"}))]))
                i += 1
                continue
        m = HEADING.match(line)
        if m:
            blocks.append(Heading(Span(lineno, lineno), level=len(m.group(1)),
                                  runs=parse_inline(m.group(2))))
            i += 1
            continue
        m = IMAGE.match(line)
        if m:
            # its file is looked for, inside the issue folder only, by the figures stage
            alt = " ".join(m.group("alt").split())
            blocks.append(Figure(Span(lineno, lineno), src=m.group("src").strip(), alt=alt,
                                 alt_from="extractor" if alt else ""))
            i += 1
            continue
        m = LIST_ITEM.match(line)
        if m:
            ordered = m.group("num") is not None
            item = ListBlock(Span(lineno, lineno), ordered=ordered,
                             items=[parse_inline(m.group("text").strip())])
            if ordered:
                item.start, item.marker = int(m.group("num")), m.group("num")
            blocks.append(item)
            i += 1
            continue
        # paragraph: consecutive lines that are none of the above
        start = i
        para = [line]
        i += 1
        while (i < n and lines[i].strip() and "\t" not in lines[i]
               and not HEADING.match(lines[i]) and not LIST_ITEM.match(lines[i])
               and not IMAGE.match(lines[i]) and not HTML_TABLE_START.match(lines[i])
               and not DISPLAY_MATH.match(lines[i])):
            para.append(lines[i])
            i += 1
        blocks.append(Paragraph(Span(start + 1, i), runs=parse_inline(_join_lines(para))))
    return blocks
