"""Extractor output nobody here wrote: generated MinerU-like documents, broken
in the ways extractors break them, build or are refused as bad input (never
an internal error), and lose no Han character."""
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import make_issue
from pipeline.build import make_model
from pipeline.errors import InputError
from pipeline.render.epub import write_epub
from pipeline.report import epub_text, han_accounting

han = st.text(alphabet=st.sampled_from("集成电路产业多边形退位减法文献综述第二章研究报告角度数"), min_size=1, max_size=20)
word = st.sampled_from(["CPO", "2025", "0.358***", "a_b", "#3", "12,345,678.90", "(1)", "①", "μm", "x<y", "&amp;"])
tex = st.sampled_from(["$120^\\circ$", "$\\angle EAB = 120^{\\circ}$", "$\\frac{n(n-1)}{24}$", "$x^2$",
                       "$13-3=10$", "$\\mu\\text{m}$", "$\\alpha$", "$", "$\\", "$^$", "$_{$"])
control = st.sampled_from(["\x03", "\x0c", "\u202e", "\ufeff", "\x7f", "\u200b", "\ufffe"])
punct = st.sampled_from(["，", "。", "：", ",", " ", "！", "、", ""])
piece = st.one_of(han, han, word, tex, control, punct)
line = st.lists(piece, min_size=1, max_size=8).map("".join)
cell = st.one_of(line, st.just(""), st.just("<b>粗</b>"), st.just("甲<br>乙"), st.just("<sup>1</sup>"))
html_table = st.lists(st.lists(cell, min_size=1, max_size=5), min_size=1, max_size=4).map(
    lambda rows: "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows))
block = st.one_of(
    line,
    line.map(lambda s: "# " + s), line.map(lambda s: "## " + s), line.map(lambda s: "### " + s),
    line.map(lambda s: "- " + s), line.map(lambda s: "1. " + s),
    st.lists(line, min_size=2, max_size=5).map("\t".join),
    html_table.map(lambda t: t + "</table>"),
    html_table,                                           # never closed
    html_table.map(lambda t: t.replace("<tr>", "<caption>表</caption><tr>", 1) + "散字</table>"),
    st.just("# 目录"), st.just("# 目錄"),
    line.map(lambda s: f"{s} ........ 12"), line.map(lambda s: f"第二章 {s} 7"), line.map(lambda s: f"23.1 {s} 2"),
    tex.map(lambda t: "$$ " + t.strip("$") + " $$"),
    st.just("![](images/abc.jpg)"), st.just("![图 1](images/x.png)"),
    line.map(lambda s: f"（来源：{s}）"),
)
documents = st.lists(block, min_size=1, max_size=14).map("\n\n".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_generated_extractor_output_builds_or_is_bad_input_and_loses_no_han_character(raw):
    with tempfile.TemporaryDirectory() as d:
        folder = make_issue(Path(d), raw)
        try:
            issue, log, _ = make_model(folder)
        except InputError:
            return            # exit 2 with one line: allowed (e.g. nothing but control characters)
        epub = Path(d) / "x.epub"
        write_epub(issue, epub)
        acc = han_accounting(raw, epub_text(epub), [x.text for x in log.drops])
        assert acc["missing_count"] == 0, acc["missing"]
