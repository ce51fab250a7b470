"""tables: rows of cells as extracted → tables with header rows, spans,
group and total rows, numeric cells, and notes."""
from __future__ import annotations

import re

from .context import Context, Decisions
from .text import KANA, SOURCE_LINE, traditional
from .model import Block, Cell, Paragraph, Row, Run, Table

NUMBER = re.compile(r"^[(（]?[-−+]?[\d,，.]*\d[\d,.]*\s*(?:[%％]|[万亿千]+)?[)）]?$|^[-–—]$"
                    r"|^[\d,.]*\d\s*[%％]?\s*[-–~～]\s*[\d,.]*\d\s*[%％]?$")   # and ranges: 7000-10000
TOTAL_LABEL = re.compile(r"^(合计|合計|总计|總計|小计|小計|Total|Sum)$", re.I)
LEADER = re.compile(r"\s*(?:\.{2,}|…{1,}|·{3,})\s*$")
NOTE = re.compile(r"^\s*(注|註|note)\s*[:：]", re.I)

# what this stage decides, each by a name an editor can switch off ([tables] disable)
DECISIONS = Decisions("tables", {
    "tables.header_rows": "leading rows without numbers are the header of a table of text cells",
    "tables.caption": "the caption line just above a table becomes its caption",
    "tables.note": "a source or note line just below a table becomes its note",
    "tables.language": "a table in Traditional script or with kana is tagged zh-Hant or ja",
    "tables.empty_header_cells": "a header cell with no text (an empty corner) is a plain cell",
    "tables.header_offset": "a header row of labels ending in an empty cell over a filled column moves one column right",
    "tables.totals": "a last row without a label whose figures are the sums of those above is the totals row",
})


def _strip_leader(cell: Cell) -> Cell:
    if cell.runs:
        last = cell.runs[-1]
        text = LEADER.sub("", last.text)
        if text != last.text:
            cell.runs = cell.runs[:-1] + ([Run(text, last.marks, last.lang)] if text else [])
    # leaders also stand before a footnote marker: "大中華區 <sup>(1)</sup> ....."
    cell.runs = [Run(LEADER.sub("", r.text) if k < len(cell.runs) - 1 and r.text.endswith("..") else r.text,
                     r.marks, r.lang) for k, r in enumerate(cell.runs)]
    cell.runs = [r for r in cell.runs if r.text]
    if cell.runs:
        cell.runs[-1] = Run(cell.runs[-1].text.rstrip(), cell.runs[-1].marks, cell.runs[-1].lang)
        cell.runs[0] = Run(cell.runs[0].text.lstrip(), cell.runs[0].marks, cell.runs[0].lang)
    return cell


def _is_numeric(cell: Cell) -> bool:
    t = re.sub(r"\s", "", cell.text)
    return bool(t) and bool(NUMBER.match(t))


def _all_marked(cell: Cell, marks) -> bool:
    runs = [r for r in cell.runs if r.text.strip()]
    return bool(runs) and all(r.marks & marks for r in runs)


def _merge_spans(row: Row, below: Row | None) -> Row:
    """In a header row, a filled cell followed by empty ones spans them when
    the header row below has labels under them ("截至12月31日止年度" over the
    years); the last header row (units such as "(人民幣元)") spans nothing."""
    cells: list[Cell] = []
    k = 0
    while k < len(row.cells):
        c = row.cells[k]
        j = k + 1
        while j < len(row.cells) and not row.cells[j].text.strip():
            j += 1
        under = below is not None and any(below.cells[m].text.strip() for m in range(k + 1, min(j, len(below.cells))))
        if c.text.strip() and j > k + 1 and under:
            c.colspan += sum(x.colspan for x in row.cells[k + 1:j])
            cells.append(c)
            k = j
        else:
            cells.append(c)
            k += 1
    return Row(cells, row.role)


def _align_header_over_running_numbers(head: list[Row], body: list[Row]) -> None:
    """A prospectus table whose first column holds running numbers ("10.....")
    often loses that column's empty header cell in extraction: every header
    row then starts with a label and ends with an empty cell.  The header
    moves one column right, over the columns it names."""
    if not head or not body or not all(r.cells[0].numeric for r in body if r.role == "body"):
        return
    if all(r.cells[0].text.strip() and not r.cells[-1].text.strip() for r in head[:1]) and all(
            not r.cells[-1].text.strip() for r in head):
        for r in head:
            r.cells = [Cell([], header=True)] + r.cells[:-1]


def _align_header_over_filled_columns(head: list[Row], body: list[Row]) -> None:
    """A header row of labels that ends in an empty cell, over a last column the body fills, lost
    the empty cell over the body's first column (the names) and kept one at its end: 1,747 printed
    under 酌情花紅 instead of 工資及薪金.  It moves one column right.  (A row holding one label, such
    as a period over the columns, or labels with gaps, each over the columns it spans, is not a row
    of labels.)"""
    rows = [r for r in body if len(r.cells) == len(head[0].cells)] if head else []
    if len(rows) < 3 or any(c.colspan > 1 for r in head for c in r.cells):
        return
    # every row fills the column but perhaps one (a totals row that lost its label)
    filled = lambda k: sum(1 for r in rows if r.cells[k].text.strip()) >= len(rows) - 1
    if not (filled(0) and filled(-1)):
        return
    for r in head:
        at = [k for k, c in enumerate(r.cells) if c.text.strip()]
        # labels side by side, one a column (labels with gaps between them span columns: 2022年 over two)
        if len(at) >= 2 and at[-1] - at[0] == len(at) - 1 and not r.cells[-1].text.strip():
            r.cells = [Cell([], header=True)] + r.cells[:-1]


FIGURE = re.compile(r"^\(?-?[\d,]+(?:\.\d+)?\)?$")    # 1,747  (12.5)  -3


def _value(text: str) -> float | None:
    t = text.strip()
    if t in ("-", "–", "—"):
        return 0.0
    if not FIGURE.match(t):
        return None
    v = float(t.strip("()").replace(",", ""))
    return -v if t.startswith("(") else v


def _totals_by_sum(rows: list[Row]) -> bool:
    """A last row without a label whose every figure is the sum of the figures above it is the
    table's totals row (set as one), though the extraction lost its label: no label is made up."""
    body = [r for r in rows if r.role == "body"]
    if len(body) < 3 or body[-1] is not rows[-1] or body[-1].cells[0].text.strip():
        return False
    last, above = body[-1], body[:-1]
    checked = 0
    for k, c in enumerate(last.cells):
        total = _value(c.text)
        if total is None:
            if c.text.strip():
                return False
            continue
        column = [_value(r.cells[k].text) for r in above if k < len(r.cells)]
        if any(v is None for v in column):    # a column of words has no sum
            return False
        if abs(sum(column) - total) > 0.5 + 1e-6 * abs(total):
            return False
        checked += total != 0
    if checked >= 2:
        last.role = "total"
    return checked >= 2


def _label_rowspans(rows: list[Row]) -> None:
    """A label in the first column heads the rows below it whose first cell
    is empty ("按行业分类" over two rows): it spans them."""
    label = None
    for r in rows:
        if r.role != "body":
            label = None
            continue
        first = r.cells[0]
        if first.text.strip():
            label = first if not first.numeric else None
        elif label is not None and first.colspan == 1:
            label.rowspan += 1
            r.cells = r.cells[1:]


def shape_table(t: Table, ctx: Context) -> Table:
    if any(c.colspan > 1 or c.rowspan > 1 or c.header for r in t.rows for c in r.cells):
        # an HTML table: its spans and headers are explicit
        for r in t.rows:
            for c in r.cells:
                c.numeric = _is_numeric(c)
        return t
    width = max(len(r.cells) for r in t.rows)
    lengths = {len([c for c in r.cells]) for r in t.rows}
    if len(lengths) > 1 and min(lengths) < width:
        short = [k for k, r in enumerate(t.rows) if len(r.cells) < width]
        ctx.log.warn("tables.ragged", t.span, f"{len(short)} of {len(t.rows)} rows have fewer cells than the "
                     f"widest ({width}); padded with empty cells: check the table")
    rows = []
    for r in t.rows:
        cells = [_strip_leader(c) for c in r.cells] + [Cell([]) for _ in range(width - len(r.cells))]
        rows.append(Row(cells))
    # drop columns that are empty in every row (extractor padding)
    keep = [k for k in range(width) if any(r.cells[k].text.strip() for r in rows)]
    if len(keep) < width:
        for r in rows:
            r.cells = [r.cells[k] for k in keep]
    # header rows: leading rows with no number in them
    # (a row with only its first cell filled is a group label: the body has begun)
    # (in a table of words only, the first row is the header)
    n_head = 0
    for r in rows if ctx.enabled("tables.header_rows") else ():
        label_only = bool(r.cells[0].text.strip()) and not any(c.text.strip() for c in r.cells[1:])
        if any(_is_numeric(c) for c in r.cells[1:]) or label_only:
            break
        n_head += 1
    if n_head >= len(rows) - 1 and ctx.enabled("tables.header_rows"):
        n_head = min(1, len(rows) - 1)
    def filled_beyond_first(r):
        return any(c.text.strip() for c in r.cells[1:])

    for k, r in enumerate(rows):
        if k < n_head:
            r.role = "head"
            for c in r.cells:
                c.header = True
        else:
            filled = [c for c in r.cells if c.text.strip()]
            # a label alone heads the rows below it, if rows with figures follow;
            # a label over empty cells at the end (a grid to fill in) is a row of its own
            if (len(filled) == 1 and filled[0] is r.cells[0] and len(r.cells) > 2
                    and any(filled_beyond_first(x) for x in rows[k + 1:])):
                r.role = "group"
                r.cells = [Cell(r.cells[0].runs, colspan=len(r.cells), header=True)]
                continue
            if filled and (all(_all_marked(c, {"b", "u"}) for c in filled[1:] or filled)
                           or TOTAL_LABEL.match(r.cells[0].text.strip())):
                r.role = "total" if any(_is_numeric(c) for c in filled) else r.role
            for c in r.cells:
                c.numeric = _is_numeric(c)
            r.cells[0].header = not r.cells[0].numeric and bool(r.cells[0].text.strip())
    head = [r for r in rows if r.role == "head"]
    _align_header_over_running_numbers(head, [r for r in rows if r.role == "body"])
    if ctx.enabled("tables.header_offset"):
        before = [" | ".join(c.text for c in r.cells) for r in head]
        _align_header_over_filled_columns(head, [r for r in rows if r.role == "body"])
        after = [" | ".join(c.text for c in r.cells) for r in head]
        if after != before:
            ctx.log.change("tables.header_offset", t.span, " / ".join(before), " / ".join(after), stage="tables")
    if ctx.enabled("tables.totals"):
        if _totals_by_sum(rows):
            ctx.log.change("tables.totals", t.span, " | ".join(c.text for c in rows[-1].cells),
                           "totals row (its figures are the sums of the rows above)", stage="tables")
    t.rows = [_merge_spans(r, head[k + 1] if k + 1 < len(head) else None) if r.role == "head" else r
              for k, r in enumerate(rows)]
    if any(not r.cells[0].text.strip() for r in t.rows if r.role == "body") and any(
            r.cells[0].text.strip() and not r.cells[0].numeric for r in t.rows if r.role == "body"):
        _label_rowspans(t.rows)
    return t


def _language(t: Table) -> None:
    # a table is copied whole from its source: two Traditional-only characters
    # show the source was Traditional, however many characters both scripts share
    if traditional(t.text, least=2, share=0) and t.lang is None:
        t.lang = "zh-Hant"
    if KANA.search(t.text):
        t.lang = "ja"


def _empty_header_cells(t: Table) -> None:
    """A header cell heads something: in a header row every cell with text is
    one, an empty cell (a corner) is not; the writers only follow `header`."""
    for r in t.rows:
        for c in r.cells:
            if r.role == "head":
                c.header = bool(c.text.strip())
            elif c.header and not c.text.strip() and r.role != "group":
                c.header = False


def tables(blocks: list[Block], ctx: Context) -> list[Block]:
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Table) and not any(c.text.strip() for r in b.rows for c in r.cells):
            if b.caption:        # a caption over no cells: the caption is what it says
                out.append(Paragraph(b.span, runs=b.caption, lang=b.lang))
            log_text = "<table> with no text in any cell" if b.rows else "<table> with no rows"
            ctx.log.drop("tables.empty", b.span, log_text, "a table with nothing in it")
            continue
        if isinstance(b, Table):
            before_cols = max(len(r.cells) for r in b.rows) if b.rows else 0
            shape_table(b, ctx)
            if ctx.enabled("tables.language"):
                _language(b)
            if ctx.enabled("tables.empty_header_cells"):
                _empty_header_cells(b)
            prev = out[-1] if out else None
            if isinstance(prev, Paragraph) and prev.role == "caption" and not b.caption and ctx.enabled("tables.caption"):
                # the title line above a table is its caption
                b.caption, b.span = prev.runs, b.span.merge(prev.span)
                b.lang = b.lang or prev.lang
                out.pop()
                ctx.log.change("tables.caption", prev.span, prev.text, "table caption", stage="tables")
            ctx.log.change("tables.rebuild", b.span, f"{len(b.rows)} rows × {before_cols} cells as text",
                           f"table {len(b.head)} header rows, {b.columns} columns", stage="tables")
        # a source or note under a table is the table's, but not the article's
        # own attribution "（来源：…）" (structure sets that at the article's end)
        elif (isinstance(b, Paragraph) and out and isinstance(out[-1], Table)
              and (SOURCE_LINE.match(b.text) or NOTE.match(b.text)) and ctx.enabled("tables.note")
              and not b.text.lstrip().startswith(("(", "（"))):
            out[-1].notes.append(b.runs)
            out[-1].span = out[-1].span.merge(b.span)
            ctx.log.change("tables.note", b.span, b.text, "table note", stage="tables")
            continue
        out.append(b)
    return out
