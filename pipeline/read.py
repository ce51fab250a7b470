"""read: raw bytes → blocks, each with the raw line span it came from."""
from __future__ import annotations

import re

from lxml import html as lxml_html

from .errors import InputError
from .inline import parse_inline
from .model import Cell, Heading, ListBlock, Log, Paragraph, Row, Span, Table
from .text import BREAKS, CONTROL, HAN_CHAR, code_point, han_count

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^\s{0,3}(?:(?P<bullet>[-*+])|(?P<num>\d{1,3})[.)])\s+(?P<text>.*)$")
IMAGE = re.compile(r"^\s*!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]*)\)\s*$")
HTML_TABLE_START = re.compile(r"^\s*<table\b", re.I)
MAX_LINES_LISTED = 10   # of the lines a control-character warning names


def decode(data: bytes, path: str, log: Log) -> str:
    """Bytes → text with \n line ends.  UTF-8 (with or without BOM), UTF-16 or
    UTF-32 with BOM, GB18030 with a warning; CRLF line ends (or CR alone, in a
    file without LF) become LF with a warning; control characters are removed
    with a warning (see `sanitise`)."""
    text = _decode(data, path, log)
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
    for ch, where in sorted(found.items()):
        at = sorted(set(where))
        listed = ", ".join(map(str, at[:MAX_LINES_LISTED])) + (
            f" and {len(at) - MAX_LINES_LISTED} more" if len(at) > MAX_LINES_LISTED else "")
        why = (" (a page or line break: read as a line break)" if ch in BREAKS
               else " (a bidirectional control: it would reverse the printed text)"
               if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069" else "")
        places = f"{len(where)} places" if len(where) > 1 else "1 place"
        log.warn("read.control_chars", Span(at[0], at[-1]),
                 f"{code_point(ch)} removed{why}: {places}, line{'s' if len(at) > 1 else ''} {listed}")
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
