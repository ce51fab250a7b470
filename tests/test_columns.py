"""Runs of paragraphs read from the wrong column (pipeline/clean/columns.py): moved where their own
cut sentence says they go, and nowhere without that evidence.  The blocks are written out with the
cuts the join rule would have recorded (its own tests are in fixtures/rules/join.txt)."""
from pipeline.clean.columns import column_blocks
from pipeline.context import Context
from pipeline.model import Heading, Log, Paragraph, Run, Span


def para(line, text, end=None, role="body"):
    return Paragraph(Span(line, end or line), runs=[Run(text)], role=role)


def ctx_with(cuts):
    ctx = Context(log=Log(), magazine={}, language="zh-CN")
    ctx.cuts[:] = cuts
    return ctx


def order(blocks):
    return [b.text[:4] for b in blocks]


def test_a_run_whose_last_sentence_goes_on_before_it_moves_there():
    # raw: C(1) P(3) H(5) X(7, cut → 13) R1(9) R2(11, cut → 1) T(13); the joins made X+T and R2+C
    blocks = [para(3, "其碳化硅产品应用广泛。"), Heading(Span(5, 5), level=3, runs=[Run("03. 客户")]),
              para(7, "过去三年为客户提供产品，收入增长。", 13), para(9, "在显示领域供货。"),
              para(1, "在功率器件领域已达到与全球相当的水平。", 11)]
    ctx = ctx_with([(7, 13), (11, 1)])
    out = column_blocks(blocks, ctx)
    assert order(out) == ["在显示领", "在功率器", "其碳化硅", "03. ", "过去三年"]
    (change,) = ctx.log.changes
    assert change.rule == "column_blocks" and "2 paragraph(s)" in change.after and "raw 7→13" in change.after


def test_a_run_whose_first_lines_end_a_later_sentence_moves_after_it():
    # raw: Q(1, cut → 7) [F(3) is the tail of S(9)] R(5) T(7) A(8) S(9, cut → 3); joins: Q+T, S+F
    blocks = [para(1, "他表示：“我们通过交换机节省了功耗。”", 7), para(5, "众所周知功耗是难题。"),
              para(8, "正是这番言论引发担忧。"), para(3, "姑勿论理解是否正确，显著优势包括功耗降低。", 9),
              para(11, "而且受到材料影响。")]
    ctx = ctx_with([(1, 7), (9, 3)])
    out = column_blocks(blocks, ctx)
    assert order(out) == ["他表示：", "正是这番", "姑勿论理", "众所周知", "而且受到"]


def test_without_a_second_cut_a_run_stays_where_it_stands():
    blocks = [para(1, "他表示：“我们通过交换机节省了功耗。”", 7), para(3, "众所周知功耗是难题。"),
              para(5, "正是这番言论引发担忧。"), para(9, "而且受到材料影响。")]
    ctx = ctx_with([(1, 7)])
    assert order(column_blocks(list(blocks), ctx)) == order(blocks) and not ctx.log.changes


def test_a_heading_or_table_inside_the_cut_is_no_column_run():
    blocks = [para(1, "他表示：“我们通过交换机节省了功耗。”", 7), Heading(Span(3, 3), level=3, runs=[Run("小标题")]),
              para(5, "正是这番言论引发担忧。"), para(2, "姑勿论理解是否正确。", 9)]
    ctx = ctx_with([(1, 7), (9, 2)])
    assert order(column_blocks(list(blocks), ctx)) == order(blocks)


def test_2025_08_reads_the_two_column_pages_in_order(model_2025_08):
    """Hand-checked against the printed order of the raw issue's two-column pages (raw 781-801 in 芯迈,
    1328-1348 in the CPO article)."""
    issue = model_2025_08[0]
    texts = [b.text for a in issue.articles for b in a.blocks]
    at = lambda start: next(k for k, t in enumerate(texts) if t.startswith(start))
    assert at("在显示领域") < at("03. 前五大客户") and at("在显示领域") < at("其功率半导体产品")
    assert texts[at("在功率器件领域")].endswith("已达到与全球行业领导者相当的性能指标。")
    assert texts[at("“英伟达在整个系统中") + 1].startswith("正是这番言论")
    assert at("正是这番言论") < at("姑勿论") < at("从英伟达的这个")


def test_an_editor_moves_what_no_rule_sees(tmp_path):
    from helpers import make_issue
    from pipeline.build import make_model
    raw = ("# 一篇\n\n甲段讲述了晶圆制造的过程。\n\n乙段讲述了封装测试的环节。\n\n丙段讲述了设计验证的方法。\n\n"
           "丁段讲述了材料与设备的国产化。\n")
    fixes = ('[[fix]]\nlines = "7-9"\nexpect = "丙段"\naction = "move"\nto = 3\nwhy = "the other column"\n')
    folder = make_issue(tmp_path, raw, fixes=fixes)
    issue, log, _ = make_model(folder)
    texts = [b.text[:2] for a in issue.articles for b in a.blocks]
    assert texts[-4:] == ["丙段", "丁段", "甲段", "乙段"]
    assert any(c.rule == "fixes" and "moved 2 block(s) before raw 3" in c.after for c in log.changes)


def test_a_move_without_its_line_is_bad_input(tmp_path):
    import subprocess
    import sys
    from helpers import ROOT, make_issue
    folder = make_issue(tmp_path, "# 一篇\n\n甲段。\n", fixes='[[fix]]\nlines = "3"\nexpect = "甲段"\naction = "move"\n')
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--out", str(tmp_path / "o")],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "fixes.toml:4:" in proc.stderr and "to = 781" in proc.stderr, proc.stderr
