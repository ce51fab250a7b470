import pytest

from pipeline.inline import parse_inline, strip_markup


def marks_of(runs, text):
    return next(r.marks for r in runs if text in r.text)


def test_html_tags_become_marks_not_text():
    runs = parse_inline("合計 <u>1,688,426</u> 與 <b>37.4%</b> 大中華區 <sup>(1)</sup>")
    assert "<" not in "".join(r.text for r in runs)
    assert marks_of(runs, "1,688,426") == {"u"}
    assert marks_of(runs, "37.4%") == {"b"}
    assert marks_of(runs, "(1)") == {"sup"}


def test_markdown_bold_and_escapes():
    runs = parse_inline(r"**自主建设。**充分调动 InFO\_SoW \*Total")
    assert strip_markup(r"**自主建设。**充分调动 InFO\_SoW \*Total") == "自主建设。充分调动 InFO_SoW *Total"
    assert marks_of(runs, "自主建设") == {"b"}
    assert marks_of(runs, "充分") == frozenset()


def test_latex_fragments_become_unicode():
    assert strip_markup(r"厚度 1-3  $\mu\text{m}$ ，") == "厚度 1-3  μm ，"
    assert strip_markup(r"回波损耗 $\leq 13\text{dB}$") == "回波损耗 ≤ 13 dB"
    runs = parse_inline(r"面积 10 m$^{2}$")
    assert marks_of(runs, "2") == {"sup"}
    assert strip_markup(r"同比$+24.4\%$") == "同比+24.4%"


def test_bracketed_prospectus_text_is_not_a_link():
    assert strip_markup("[編纂]數目：[編纂](可予[編纂])") == "[編纂]數目：[編纂](可予[編纂])"


def test_links_keep_their_text_only():
    assert strip_markup("visit the [JEDEC website](#).") == "visit the JEDEC website."
    assert strip_markup("网址：<http://zcps.rlsbt.zj.gov.cn>）") == "网址：http://zcps.rlsbt.zj.gov.cn）"


def test_unknown_and_hostile_tags_stay_literal_text():
    text = '<script>alert(1)</script><iframe src="x">'
    assert strip_markup(text) == text


def test_unbalanced_tags_do_not_leak():
    runs = parse_inline("<b>粗体没有闭合 正文</u>")
    assert "".join(r.text for r in runs) == "粗体没有闭合 正文"


def test_a_formula_ending_in_a_backslash_or_a_mark_is_kept_as_written():
    # MinerU writes "$\\$" and "$x^$" when a cell or line is cut inside a formula
    for raw in ("共 $5\\$ 元", "面积 $x^$ 增大"):
        assert "".join(r.text for r in parse_inline(raw)) == raw   # not LaTeX we know: nothing lost, no crash


def test_an_unpaired_double_star_is_two_stars_not_bold_to_the_end():
    from pipeline.inline import parse_inline
    runs = parse_inline("显著性 0.358** 与 0.12")
    assert [(r.text, set(r.marks)) for r in runs] == [("显著性 0.358** 与 0.12", set())]


def test_in_a_table_cell_stars_and_underscores_are_text_and_br_is_a_line_break():
    from pipeline.inline import parse_inline
    assert [(r.text, set(r.marks)) for r in parse_inline("0.358***", markdown=False)] == [("0.358***", set())]
    assert [(r.text, set(r.marks)) for r in parse_inline("**a** b_c_", markdown=False)] == [("**a** b_c_", set())]
    assert [(r.text, set(r.marks)) for r in parse_inline("甲<br/>乙<b>丙</b>", markdown=False)] == [
        ("甲\n乙", set()), ("丙", {"b"})]


def test_formulas_are_math_runs_and_simple_tex_is_spaced_as_maths():
    from pipeline.inline import parse_inline
    assert [(r.text, set(r.marks)) for r in parse_inline("$13-3=10$，$AF+CE$，$-5$")] == [
        ("13 − 3 = 10，AF + CE，-5", set())]
    runs = parse_inline("已知 $\\angle EAB = 120^{\\circ}$ 。")
    assert [(r.text, set(r.marks)) for r in runs] == [("已知 ", set()), ("\\angle EAB = 120^{\\circ}", {"math"}),
                                                     (" 。", set())]
    # MinerU's circled numbers are the characters
    assert "".join(r.text for r in parse_inline("$\\textcircled{3}$ 证明")) == "③ 证明"


def test_a_cut_formula_is_warned_of():
    from helpers import run_rules
    _, log = run_rules("面积 $x^$ 增大。", only=["unreadable_formulas"])
    assert [(w.rule, w.span.start) for w in log.warnings] == [("unreadable_formulas", 1)]
    assert "$x^$" in log.warnings[0].message


def test_display_formula_is_a_formula_paragraph():
    from pipeline.read import read_blocks
    from pipeline.model import Log
    blocks = read_blocks("文字\n$$\n5 + 6 = \\square\n$$\n后文", Log())
    assert [(b.role, b.text) for b in blocks] == [("body", "文字"), ("formula", "5 + 6 = \\square"), ("body", "后文")]
    assert "math" in blocks[1].runs[0].marks


def test_formulas_become_mathml_and_svg():
    from lxml import etree
    from pipeline.render import math
    from pipeline.render.xhtml import E, sub
    for convert, name in ((math.to_mathml, "{http://www.w3.org/1998/Math/MathML}math"),
                          (math.to_svg, "{http://www.w3.org/2000/svg}svg")):
        p = E("p")
        sub(p, "span", {"class": "math"}, text="\\frac{n(n-1)}{24}")
        sub(p, "span", {"class": "math"}, text="\\sqrt{2}")
        convert(p)
        found = list(p.iter(name))
        assert len(found) == 2
        ids = [el.get("id") for el in p.iter() if el.get("id")]
        assert len(ids) == len(set(ids))          # two drawings in one document share no id
        assert "\\frac" not in "".join(p.itertext())   # no TeX left as text


def test_tex_the_extractor_made_of_plain_text_reads_as_the_text():
    from pipeline.inline import parse_inline
    from pipeline.model import plain
    # a currency sign escaped inside the formula, letters spaced out in \mathrm, a blank to fill in
    assert plain(parse_inline(r"1 Mexican Peso $=$ $\mathrm { U S } \$ 0.095$ FISCAL YEAR")) == \
        "1 Mexican Peso = US$0.095 FISCAL YEAR"
    assert plain(parse_inline(r"capacity of about $5 3 \mathrm { G W }$ , an")) == "capacity of about 53 GW , an"
    assert plain(parse_inline(r"则 $\_$ ，所以")) == "则 _ ，所以"


def test_a_brace_or_underscore_escaped_in_a_formula_is_no_cut_formula():
    from pipeline.render.math import readable
    assert readable(r"\left\{ \begin{array} { l } { b = 2 } \\ { k = 1 } \end{array} \right.")
    assert not readable(r"x ^") and not readable(r"{ a")


def test_a_command_inside_mathrm_is_maths_not_text():
    from pipeline.inline import parse_inline
    from pipeline.model import plain
    assert plain(parse_inline(r"raised to $3 4 . 5 \mathrm { \ k V }$ .")) == "raised to 34.5 kV ."
    runs = parse_inline(r"∴ $\mathbf { \partial } _ { \cdot } B E = B C$ ，")
    assert "\\partial" not in "".join(r.text for r in runs if "math" not in r.marks)


@pytest.mark.slow
def test_formulas_in_the_print_edition_are_drawn_in_cmyk_black(tmp_path):
    # ziamath draws in RGB black; a CMYK print job must not carry it (check: no DeviceRGB colour)
    import json
    import subprocess
    import sys
    from pypdf import PdfReader
    from helpers import ROOT, make_issue
    from pipeline.check import _rgb_operators
    folder = make_issue(tmp_path, "# 练习\n\n解方程 $\\frac { x } { 2 } + 1 = 3$ ，得 $x = 4$ 。\n\n$$ x ^ { 2 } = 16 $$\n")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", "screen,print",
                           "--out", str(tmp_path / "o")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert not json.loads((tmp_path / "o" / "report.json").read_text())["pdf_text_lost"]["print"]
    assert _rgb_operators(PdfReader(tmp_path / "o" / "test-01-print.pdf")) == []
    assert _rgb_operators(PdfReader(tmp_path / "o" / "test-01.pdf"))   # the screen edition is RGB


def test_longer_latin_words_in_chinese_text_are_tagged_english_and_nothing_else_changes():
    from pipeline.model import Paragraph, Run
    from pipeline.render.xhtml import IdMaker, render_block
    text = ("PDK 全称 ProcessDesignKit，据 TrendForce 统计，SiC MOSFET、InFO_oS 与 RISC-V 以及 "
            "www.example.com 和 Cerebras 的 interposer 都是。")
    words = {}
    for cjk in (True, False):
        p = render_block(Paragraph((1, 1), runs=[Run(text, frozenset(), None)]), IdMaker("a"), {}, cjk=cjk)
        words[cjk] = [s.text for s in p.iter("{*}span") if s.get("lang") == "en"]
        assert "".join(p.itertext()).replace("\u2005", " ").replace("  ", " ") == text
    # acronyms, names glued to digits or marks, web addresses and short words are left alone
    assert words[True] == ["ProcessDesignKit", "TrendForce", "Cerebras", "interposer"]
    assert words[False] == []                       # in an English text nothing is tagged


def test_a_list_whose_items_carry_their_own_numbers_gets_no_bullet_besides():
    from pipeline.model import ListBlock, Run
    from pipeline.render.xhtml import IdMaker, render_block

    def rendered(items):
        lst = ListBlock((1, len(items)), items=[[Run(t, frozenset(), None)] for t in items], ordered=False)
        return render_block(lst, IdMaker("a"), {}).get("class")

    assert rendered(["（一）企业申请认定时须注册成立一年以上；", "（二）企业通过自主研发获得知识产权；"]) == "numbered-items"
    assert rendered(["1、高 EUV 吸收能力；", "2、高能量利用效率；"]) == "numbered-items"
    # a decimal number or a year is no item number; one unnumbered item keeps the bullets for all
    assert rendered(["1.5x reticle InFO_oS in mass production", "2.5D interposer"]) is None
    assert rendered(["（一）企业申请认定时须注册成立一年以上；", "其他条件从略。"]) is None
