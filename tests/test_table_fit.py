"""Tables as extractors write them, broken: nothing they say is lost; tables
too wide for the page are set in parts, and the PDFs' text is checked
against the document's, so that clipping cannot pass."""
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from helpers import ROOT, make_issue
from pipeline.model import Heading, Log, Paragraph, Table
from pipeline.read import read_blocks
from pipeline.render import fit
from pipeline.render.xhtml import XHTML


def read(raw):
    log = Log()
    return read_blocks(raw, log), log


def kinds(blocks):
    return [(type(b).__name__, b.text) for b in blocks]


def test_the_lines_after_a_table_never_closed_are_text():
    blocks, log = read("<table><tr><td>甲</td><td>乙</td></tr>\n下一行是正文\n## 小标题\n\n后面段落")
    assert kinds(blocks) == [("Table", "甲\t乙"), ("Paragraph", "下一行是正文"), ("Heading", "小标题"),
                             ("Paragraph", "后面段落")]
    assert [w.rule for w in log.warnings] == ["read.table_unclosed"]
    assert "line 1" in log.warnings[0].message


def test_a_cell_over_two_lines_of_a_table_never_closed_stays_in_the_table():
    blocks, _ = read("<table><tr><td>甲\n续</td><td>Latin\nwords</td></tr>\n正文一行")
    # the cell's lines are joined as a paragraph's: no gap between Han characters
    assert kinds(blocks) == [("Table", "甲续\tLatin words"), ("Paragraph", "正文一行")]


def test_caption_is_the_tables_caption():
    blocks, log = read("<table><caption>表1 营业收入</caption><tr><td>2024</td><td>1,234</td></tr></table>")
    assert len(blocks) == 1 and isinstance(blocks[0], Table)
    assert "".join(r.text for r in blocks[0].caption) == "表1 营业收入"
    assert not log.warnings


def test_text_between_rows_becomes_paragraphs_around_the_table_with_a_warning():
    blocks, log = read("<table>表前的字<tr><td>甲</td></tr>行间的字<tr><td>乙</td></tr>表后</table>")
    assert kinds(blocks) == [("Paragraph", "表前的字"), ("Table", "甲\n乙"), ("Paragraph", "行间的字"),
                             ("Paragraph", "表后")]
    assert sorted(w.rule for w in log.warnings) == ["read.table_stray_text"] * 2


@pytest.mark.parametrize("depth", [300, 5000])
def test_deep_inline_nesting_in_a_cell_loses_nothing_of_the_table(depth):
    cell = "<b>" * depth + "深" + "</b>" * depth
    blocks, log = read(f"<table><tr><td>{cell}</td><td>二</td></tr><tr><td>三</td><td>四</td></tr></table>")
    assert kinds(blocks) == [("Table", "深\t二\n三\t四")]
    # past what the parser follows, the cells are read as plain text, and the report says so
    assert [w.rule for w in log.warnings] == ([] if depth < 1000 else ["read.table_markup"])


def test_entities_markup_and_tex_in_cells_are_not_taken_for_lost_text():
    blocks, log = read("<table><tr><th>值 &amp; 量</th><th>单位</th></tr>"
                       "<tr><td><b>12</b> a &lt; b</td><td>$\\mu$m</td></tr></table>")
    assert kinds(blocks) == [("Table", "值 & 量\t单位\n12 a < b\tμm")]
    assert not log.warnings


# --- splitting a wide table ---------------------------------------------------------------------

def table_element(markup):
    return etree.fromstring(f'<table xmlns="{XHTML}" id="a01-t3">{markup}</table>')


def rows_of(table):
    return [[(c.text or "", c.get("colspan")) for c in tr] for tr in table.iter(f"{{{XHTML}}}tr")]


def test_split_repeats_the_first_column_and_divides_a_spanning_header():
    # a stub column, a header spanning the four year columns, two rows of figures
    t = table_element("<thead><tr><th>项目</th><th colspan='4'>年度</th></tr>"
                      "<tr><th>项目</th><th>2021</th><th>2022</th><th>2023</th><th>2024</th></tr></thead>"
                      "<tbody><tr><th>收入</th><td>1</td><td>2</td><td>3</td><td>4</td></tr>"
                      "<tr class='group'><th colspan='5'>分组</th></tr></tbody>")
    one, two = fit.split_table(t, 2)
    assert one.get("id") == "a01-t3" and two.get("id") == "a01-t3-2" and "table-part" in two.get("class")
    assert rows_of(one) == [[("项目", None), ("年度", "2")], [("项目", None), ("2021", None), ("2022", None)],
                            [("收入", None), ("1", None), ("2", None)], [("分组", "3")]]
    assert rows_of(two) == [[("项目", None), ("年度", "2")], [("项目", None), ("2023", None), ("2024", None)],
                            [("收入", None), ("3", None), ("4", None)], [("分组", "3")]]


def test_split_keeps_a_rowspan_in_its_column():
    t = table_element("<tr><th rowspan='2'>按地区</th><td>境内</td><td>5</td><td>6</td></tr>"
                      "<tr><td>境外</td><td>7</td><td>8</td></tr>")
    one, two = fit.split_table(t, 2)
    assert rows_of(one) == [[("按地区", None), ("境内", None), ("5", None)], [("境外", None), ("7", None)]]
    assert rows_of(two) == [[("按地区", None), ("6", None)], [("8", None)]]


# --- the PDFs (slow: they are laid out) ----------------------------------------------------------

FIGURE = "12,345,678.90"


def wide_issue(tmp_path):
    head = "<tr><th>项目</th>" + "".join(f"<th>{2012 + k}年</th>" for k in range(12)) + "</tr>"
    body = "".join("<tr><td>营业收入</td>" + f"<td>{FIGURE}</td>" * 12 + "</tr>" for _ in range(5))
    raw = ("## 宽表\n\n下表有十三列数字，比版心宽。\n\n<table>" + head + body + "</table>\n\n"
           "第二张表由制表符分隔。\n\n" + "\t".join(["指标"] + [f"{k}月" for k in range(1, 13)]) + "\n"
           + "\n".join("\t".join(["收入"] + [FIGURE] * 12) for _ in range(3)) + "\n")
    return make_issue(tmp_path, raw), 12 * 5 + 12 * 3


def build(folder, out, formats="screen,print"):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", formats,
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def pdf_text(path, *options):
    return subprocess.run(["pdftotext", "-q", *options, str(path), "-"], capture_output=True, text=True).stdout


@pytest.mark.slow
def test_a_table_too_wide_is_set_in_parts_and_every_figure_is_on_the_page(tmp_path):
    folder, figures = wide_issue(tmp_path)
    report = build(folder, tmp_path / "o")
    rules = Counter(w["rule"] for w in report["warnings"])
    assert rules["pdf.wide_table"] == 4            # two tables, two PDFs
    assert "pdf.text_lost" not in rules
    assert report["pdf_text_lost"] == {"screen": 0, "print": 0}
    for name in ("test-01.pdf", "test-01-print.pdf"):
        text = pdf_text(tmp_path / "o" / name)
        assert text.count(FIGURE) == figures       # pdftotext leaves out what is off the page
        assert text.count("营业收入") >= 10         # the first column is repeated in each part


@pytest.mark.slow
def test_clipping_does_not_pass_the_text_check(tmp_path):
    """Laid out without splitting, the wide table runs off the page and the
    check finds the figures missing."""
    from weasyprint import HTML
    from pipeline.build import make_model
    from pipeline.render.xhtml import html_document, serialize
    folder, _ = wide_issue(tmp_path)
    issue, _, _ = make_model(folder)
    html = html_document(issue, "styles/screen.css", "screen")
    doc = HTML(string=serialize(html).decode(), base_url=str(ROOT) + "/").render()
    assert fit.overflowing_tables(doc)
    doc.write_pdf(tmp_path / "clipped.pdf")
    lost = fit.text_lost(html, tmp_path / "clipped.pdf")
    assert lost and set(lost) <= set("0123456789年月")


CORPUS = ROOT.parent / "shared" / "corpus" / "worldbank-la-venta-pad" / "raw.md"


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus not beside the checkout")
def test_no_text_of_the_world_bank_document_is_left_off_the_pages(tmp_path):
    # WeasyPrint 70 dropped the end of an article here (a table spanning the columns at a page end)
    folder = make_issue(tmp_path, CORPUS.read_bytes())
    report = build(folder, tmp_path / "o", "screen")
    assert not [w for w in report["warnings"] if w["rule"] == "pdf.text_lost"]
    # in content-stream order: pdftotext's default interleaves the lines of two columns
    text = " ".join(pdf_text(tmp_path / "o" / "test-01.pdf", "-raw").split())
    assert "General Description of Environmental Impacts" in text
    assert "SEMARNAT authorized the execution of the project" in text


def test_significance_stars_in_cells_are_kept():
    blocks, _ = read("<table><tr><th>变量</th><th>系数</th></tr><tr><td>规模</td><td>0.358***</td></tr>"
                     "<tr><td>年龄</td><td>-0.12**</td></tr></table>\n\n变量\t系数\n规模\t0.358***\n年龄\t-0.12*")
    assert [b.text for b in blocks] == ["变量\t系数\n规模\t0.358***\n年龄\t-0.12**",
                                        "变量\t系数\n规模\t0.358***\n年龄\t-0.12*"]


def test_a_grid_to_fill_in_keeps_its_empty_cells():
    from helpers import run_rules
    blocks, _ = run_rules("题号\t1\t2\t3\n答案\t\t\t", stage="tables")
    # the last row's label is not a group heading: no rows follow it
    assert [(r.role, len(r.cells)) for r in blocks[0].rows] == [("body", 4), ("body", 4)]


def test_a_table_with_nothing_in_it_is_reported_not_laid_out():
    from helpers import run_rules
    blocks, log = run_rules("<table><tr><td></td><td> </td></tr></table>\n\n正文。", stage="tables")
    assert [type(b).__name__ for b in blocks] == ["Paragraph"]
    assert [d.rule for d in log.drops] == ["tables.empty"]
