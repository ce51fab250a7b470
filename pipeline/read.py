"""read: raw bytes → blocks, each with the raw line span it came from."""
from __future__ import annotations

import re

from lxml import html as lxml_html

from .errors import InputError
from .inline import parse_inline
from .model import Cell, Heading, ListBlock, Log, Paragraph, Row, Span, Table
from .text import HAN_CHAR, han_count

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^\s{0,3}(?:(?P<bullet>[-*+])|(?P<num>\d{1,3})[.)])\s+(?P<text>.*)$")
IMAGE = re.compile(r"^\s*!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]*)\)\s*$")
HTML_TABLE_START = re.compile(r"^\s*<table\b", re.I)


def decode(data: bytes, path: str, log: Log) -> str:
    """Bytes → text with \n line ends.  UTF-8 (with or without BOM), UTF-16 with
    BOM, GB18030 with a warning; CRLF and CR line ends become LF with a warning."""
    text = _decode(data, path, log)
    if "\r" in text:
        log.warn("read.line_ends", None, "CRLF or CR line ends normalised to LF")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _decode(data: bytes, path: str, log: Log) -> str:
    if not data.strip():
        raise InputError(path, 1, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        log.warn("read.encoding", None, "UTF-16 source decoded; save it as UTF-8")
        return data.decode("utf-16")
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
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(path, line, "not UTF-8 text (invalid byte "
                             f"0x{data[err.start]:02x})") from None
        if han_count(text) < len(text) * 0.05:
            raise InputError(path, line, f"not UTF-8 text (invalid byte 0x{data[err.start]:02x})")
        log.warn("read.encoding", None, "GB18030 source decoded; save it as UTF-8")
        return text


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
    table_rows = [Row([Cell(parse_inline(c.strip())) for c in line.split("\t")])
                  for _, line in rows]
    return Table(Span(rows[0][0], rows[-1][0]), rows=table_rows)


def _table_from_html(markup: str, span: Span) -> Table:
    """Read an HTML <table> as written by extractors such as MinerU."""
    root = lxml_html.fragment_fromstring(markup, create_parent="div")
    rows = []
    for tr in root.iter("tr"):
        cells = []
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            inner = (td.text or "") + "".join(
                lxml_html.tostring(c, encoding="unicode") for c in td)
            cells.append(Cell(parse_inline(inner.strip()),
                              colspan=_int(td.get("colspan")), rowspan=_int(td.get("rowspan")),
                              header=td.tag == "th"))
        rows.append(Row(cells, role="head" if cells and all(c.header for c in cells) else "body"))
    return Table(span, rows=rows)


def _int(value) -> int:
    try:
        return max(1, min(int(value), 1000))
    except (TypeError, ValueError):
        return 1


def read_blocks(text: str, log: Log):
    """Split the text into blocks.  Returns a list of blocks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
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
            chunk = [line]
            while "</table>" not in chunk[-1].lower() and i + 1 < n and lines[i + 1].strip():
                i += 1
                chunk.append(lines[i])
            blocks.append(_table_from_html("\n".join(chunk), Span(start + 1, i + 1)))
            i += 1
            continue
        if "\t" in line:
            rows = []
            while i < n and "\t" in lines[i]:
                rows.append((i + 1, lines[i]))
                i += 1
            blocks.append(_table_from_tsv(rows))
            continue
        m = HEADING.match(line)
        if m:
            blocks.append(Heading(Span(lineno, lineno), level=len(m.group(1)),
                                  runs=parse_inline(m.group(2))))
            i += 1
            continue
        m = IMAGE.match(line)
        if m:
            log.drop("read.image", Span(lineno, lineno), line.strip(),
                     "image placeholder; the extractor delivered no image file")
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
               and not IMAGE.match(lines[i]) and not HTML_TABLE_START.match(lines[i])):
            para.append(lines[i])
            i += 1
        blocks.append(Paragraph(Span(start + 1, i), runs=parse_inline(_join_lines(para))))
    return blocks
