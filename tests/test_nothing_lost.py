"""Nothing lost: every Han character of the raw text is in the EPUB or in the report's dropped list."""
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import make_issue
from pipeline.build import make_model
from pipeline.render.epub import write_epub
from pipeline.report import epub_text, han_accounting
import pytest

pytestmark = pytest.mark.slow   # builds EPUBs of generated issues

han = st.text(alphabet=st.sampled_from("天堂之芯集成电路产业发展研究报告正式发布"), min_size=1, max_size=30)
word = st.sampled_from(["CPO", "2025", "RISC-V", "1,688,426", "(1)", "μm"])
punct = st.sampled_from(["，", "。", ",", ": ", "！", "", " "])
line = st.lists(st.one_of(han, word, punct), min_size=1, max_size=8).map("".join)
block = st.one_of(
    line,
    line.map(lambda s: "## " + s),
    line.map(lambda s: "- " + s),
    st.lists(line, min_size=2, max_size=4).map("\t".join),
    line.map(lambda s: f"<b>{s}</b>"),
    line.map(lambda s: f"（来源：{s}）"),
    st.just("# 目录"),
    line.map(lambda s: f"- ▲{s} — 0{len(s) % 9 + 1}"),
)


def account(raw: str):
    with tempfile.TemporaryDirectory() as d:
        folder = make_issue(Path(d), raw)
        issue, log, _ = make_model(folder)
        epub = Path(d) / "x.epub"
        write_epub(issue, epub)
        return han_accounting(raw, epub_text(epub), [x.text for x in log.drops])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(block, min_size=1, max_size=12).map("\n\n".join))
def test_generated_issues_lose_no_han_character(raw):
    acc = account(raw)
    assert acc["missing_count"] == 0, acc["missing"]
