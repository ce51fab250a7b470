"""Headlines break between words, in two lines of about equal length (pipeline/render/titles.py).
The titles are 2025-08's; the words they must not be cut inside were read by hand."""
import subprocess

import pytest

from helpers import make_issue
from pipeline.render.titles import breaks, ems, halves

TITLES = [   # (title, words no line may cut)
    ("集成电路产业集群协同发展对接会暨丽水特色半导体“万亩千亿”新产业平台交流会成功举办", ["万亩千亿", "半导体", "交流会"]),
    ("关于开展2025年度集成电路专业高级工程师职务任职资格评审工作的通知", ["评审", "工程师", "通知"]),
    ("“芯火大讲堂”第十四期—集成电路企业申报2024年度所得税、研发费用加计扣除优惠政策解读会成功举办",
     ["所得税", "大讲堂", "优惠政策"]),
    ("浙江省人民政府办公厅《关于加快建设现代化中试平台的实施方案》", ["实施方案", "中试", "办公厅"]),
    ("知合计算：加入甲辰计划，携“通推一体”高性能RISC-V产品共建生态繁荣", ["RISC-V", "“通推一体”", "高性能"]),
]


@pytest.mark.parametrize("title, words", TITLES)
def test_a_long_title_is_cut_between_words_near_its_middle(title, words):
    first, second = ("".join(h) for h in halves(title, "zh-CN"))
    assert first + second == title
    for word in words:
        at = title.index(word)
        assert not at < len(first) < at + len(word), (first, word)
        assert all(not at < k < at + len(word) for k in breaks(title)), word
    assert abs(ems(first) - ems(second)) <= 0.25 * ems(title), (first, second)
    assert not second[0] in "，。、：”》）" and not first[-1] in "“《（"


def test_short_titles_and_other_scripts_are_left_to_the_layout():
    assert halves("芯迈半导体冲刺港股", "zh-CN") is None
    assert halves("A very long English headline that wraps at its spaces anyway", "en") is None
    assert halves("半導体製造装置の世界販売額が過去最高を更新する見通しと業界団体が発表", "ja") is None


def test_the_pdf_sets_the_two_halves_as_two_lines(tmp_path):
    from pipeline.build import make_model
    from pipeline.render.pdf import render_pdf
    title = TITLES[0][0]
    raw = (f"# 天堂之芯\n\n# 目录\n\n### • 芯动态\n\n- ▲{title} — 01\n- ▲芯迈半导体冲刺港股 — 02\n\n"
           f"## {title}\n\n正文一，完整。\n\n## 芯迈半导体冲刺港股\n\n正文二，完整。\n")
    folder = make_issue(tmp_path, raw)
    issue, _, _ = make_model(folder)
    render_pdf(issue, "screen", folder, tmp_path / "x.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "x.pdf"), "-"], capture_output=True,
                          text=True).stdout
    lines = [ln.strip().replace(" ", "").replace("\u2005", "") for ln in text.splitlines() if ln.strip()]
    first, second = ("".join(h) for h in halves(title, "zh-CN"))
    at = lines.index(first)
    assert lines[at + 1] == second
    assert "芯迈半导体冲刺港股" in lines       # a title that fits stays on one line
