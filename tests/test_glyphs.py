"""Characters that no font can draw (issue 14, item 6): one warning per code
point naming its raw lines; the text itself is not changed."""
import json
import subprocess
import zipfile

import pytest

from helpers import make_issue
from pipeline import cli
from pipeline.glyphs import RULE, drawable, missing_glyphs
from pipeline.model import Log
from pipeline.text import code_point

pytestmark = pytest.mark.skipif(drawable() is None, reason="fontconfig's fc-list is not installed")

GOOD = ("# 天堂之芯\n\n# 目录\n\n### • 芯动态\n\n- ▲甲公司发布新品 — 01\n\n"
        "## 甲公司发布新品\n\n甲公司今天发布了新品，性能提升一倍。\n\n（来源：芯东西）\n")
TANGUT, PUA, EXT_B = "\U00017000", "\ue000", "\U00020000"   # Noto CJK has U+2000B, not U+20000
FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467"        # man ZWJ woman ZWJ girl


def found(text):
    log = Log()
    missing_glyphs(text, log)
    assert all(w.rule == RULE for w in log.warnings)
    return log.warnings


def one(warnings, ch):
    [w] = [w for w in warnings if w.message.startswith(f"U+{ord(ch):04X} ")]
    return w


@pytest.mark.parametrize("ch, name", [
    (TANGUT, "U+17000 TANGUT IDEOGRAPH-17000"),
    (PUA, "U+E000 private-use character"),
    (EXT_B, "U+20000 CJK UNIFIED IDEOGRAPH-20000"),
    ("\U0001F680", "U+1F680 ROCKET"),
    ("\u1ab0", "U+1AB0 COMBINING DOUBLED CIRCUMFLEX ACCENT"),    # a mark no font has is a box too
    ("\u2028", "U+2028 LINE SEPARATOR"),    # DejaVu has it, but WeasyPrint prints a box (measured)
])
def test_a_character_no_font_draws_is_named_with_its_line(ch, name):
    ws = found(f"# 标题\n\n正文第一行。\n这里有{ch}一个字。\n")
    assert len(ws) == 1
    w = ws[0]
    assert w.message.startswith(name + ": ") and "empty box" in w.message
    assert (w.span.start, w.span.end) == (4, 4) and w.message.endswith("1 place, line 4")


def test_an_emoji_sequence_is_one_warning_per_person_and_none_for_the_joiners():
    ws = found(f"一家人{FAMILY}出游。\n")
    assert sorted(w.message.split(":")[0] for w in ws) == ["U+1F467 GIRL", "U+1F468 MAN", "U+1F469 WOMAN"]
    assert not any("U+200D" in w.message for w in ws)


def test_one_warning_per_code_point_with_at_most_ten_lines():
    raw = "".join(f"第{k}行{TANGUT}{TANGUT}，{PUA}。\n" for k in range(1, 13))
    ws = found(raw)
    assert len(ws) == 2
    w = one(ws, TANGUT)
    assert (w.span.start, w.span.end) == (1, 12)
    assert w.message.endswith("24 places, lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more")
    assert one(ws, PUA).message.endswith("12 places, lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more")


def test_ordinary_text_and_what_is_never_drawn_give_no_warning():
    text = ("半导体产业，“芯片”《报告》（2025年）——全角。ＡＢＣ１２３\n"
            "Latin text, café, naïve, e\u0301, 10 % ± 2 °C, € £ ¥ © ® ™ → ≥ … • ▲ ★ ①②③ Ⅳ ㎡ ℃\n"
            "繁體中文：臺灣積體電路製造；日本語のかなカナ；한국어\n"
            "\U0002000B 𠮷 (Ext B that Noto CJK has)\n"
            "不可见：\u200b\u200c\u200d\u2060\ufeff\u00ad\ufe0e\ufe0f\U000e0100\t tab\n"
            "☃\ufe0f 😀 (DejaVu Sans draws it)  \u00a0\u3000\u2009\n")
    assert found(text) == []


def test_a_private_use_character_a_fallback_font_has_is_still_named():
    can = drawable()
    covered = next((chr(p) for p in range(0xE000, 0xF900) if p in can), None)
    if covered is None:
        pytest.skip("no installed font has a private-use character")
    w = one(found(f"甲{covered}乙\n"), covered)
    assert "private-use" in w.message and "empty box" not in w.message


def test_code_point_names_what_python_leaves_unnamed():
    assert code_point(TANGUT) == "U+17000 TANGUT IDEOGRAPH-17000"
    assert code_point("\U00031350") == "U+31350 CJK UNIFIED IDEOGRAPH-31350"   # Ext H (Unicode 15)
    assert code_point("\U000F0000") == "U+F0000 private-use character"
    assert code_point("\U0003FFFD").startswith("U+3FFFD unassigned in Unicode ")
    assert code_point("\x01") == "U+0001 control character"
    assert code_point("\ufdd0") == "U+FDD0 noncharacter"


# ------------------------------------------------------------ in a build

def build(capsys, folder, out):
    code = cli.main(["build", str(folder), "--formats", "epub", "--out", str(out), "--quiet"])
    assert code == 0, capsys.readouterr().err
    return json.loads((out / "report.json").read_text(encoding="utf-8"))["warnings"]


def epub_text(out):
    with zipfile.ZipFile(out / "test-01.epub") as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))


def test_a_build_names_each_missing_character_and_keeps_it(tmp_path, capsys):
    tail = (f"西夏文{TANGUT}字。\n\n私用区{PUA}字符。\n\n表情{FAMILY}符号。\n\n"
            f"生僻字{EXT_B}出现。\n\n甲公司\u202e发布了新品。\n")
    raw = GOOD + "\n" + tail
    first = GOOD.count("\n") + 2
    out = tmp_path / "o"
    ws = build(capsys, make_issue(tmp_path, raw), out)
    glyphs = {w["message"].split(":")[0]: w for w in ws if w["rule"] == RULE}
    assert set(glyphs) == {"U+17000 TANGUT IDEOGRAPH-17000", "U+E000 private-use character",
                           "U+1F468 MAN", "U+1F469 WOMAN", "U+1F467 GIRL", "U+20000 CJK UNIFIED IDEOGRAPH-20000"}
    for name, line in (("U+17000", first), ("U+E000", first + 2), ("U+1F469", first + 4), ("U+20000", first + 6)):
        w = next(w for key, w in glyphs.items() if key.startswith(name + " "))
        assert w["lines"] == str(line) and w["message"].endswith(f"line {line}"), w
    text = epub_text(out)
    for ch in (TANGUT, PUA, FAMILY, EXT_B):        # the text is not changed: nothing dropped
        assert ch in text, code_point(ch[0])
    # the bidi override is removed before (read.sanitise), never reaches the EPUB, and is no glyph warning
    [bidi] = [w for w in ws if w["rule"] == "read.control_chars"]
    assert bidi["message"].startswith("U+202E RIGHT-TO-LEFT OVERRIDE removed (a bidirectional control")
    assert bidi["lines"] == str(first + 8)
    assert "\u202e" not in text and "甲公司发布了新品" in text


def test_a_clean_issue_has_no_glyph_warning(tmp_path, capsys):
    raw = GOOD + "\nIntel 与 TSMC 合作，良率达 95%（约 3 nm），café ①②。\n"
    assert not [w for w in build(capsys, make_issue(tmp_path, raw), tmp_path / "o") if w["rule"] == RULE]


# ------------------------------------------------------------ the measurements it rests on

def _fc(*args):
    return subprocess.run(["fc-list", *args], capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_fontconfig_coverage_is_the_union_of_the_fonts_cmaps():
    """The set comes from fontconfig's charsets; fontTools reads the same from the
    fonts' own 'cmap' tables (about 3 s for the Noto CJK collections)."""
    from fontTools.ttLib import TTFont
    cmaps = set()
    for line in _fc("--format", "%{fontformat}\t%{index}\t%{file}\n").splitlines():
        fmt, index, path = line.split("\t")
        if fmt in ("TrueType", "CFF"):
            cmaps.update(TTFont(path, fontNumber=int(index), lazy=True)["cmap"].getBestCmap() or {})
    assert cmaps == set(drawable())


@pytest.mark.slow
def test_the_edition_font_lacks_the_ext_b_character_of_these_tests():
    cmap = cmap_of("Noto Serif CJK SC")
    assert 0x2000B in cmap and ord(EXT_B) not in cmap


@pytest.mark.slow
def test_weasyprint_falls_back_to_any_installed_font(tmp_path):
    """Why the drawable set is every font's and not the edition fonts': a character
    the CSS font lacks comes from another installed font that has it."""
    from pypdf import PdfReader
    from weasyprint import HTML
    can = drawable()
    serif = cmap_of("Noto Serif CJK SC")
    other = next(p for p in (0x1F600, 0x263A, 0x2654, 0x1D400) if p in can and p not in serif)
    html = f'<html lang="zh-CN"><p style="font-family: \'Noto Serif CJK SC\'">甲{chr(other)}乙</p></html>'
    HTML(string=html).write_pdf(tmp_path / "x.pdf")
    page = PdfReader(tmp_path / "x.pdf").pages[0]
    fonts = [str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()]
    assert len(fonts) == 2 and any("Noto-Serif-CJK-SC" in f for f in fonts), fonts


def cmap_of(family):
    """The cmap of the face fontconfig picks for `family`."""
    from fontTools.ttLib import TTFont
    path, index = subprocess.run(["fc-match", "-f", "%{file}\t%{index}", family],
                                 capture_output=True, text=True, check=True).stdout.split("\t")
    return TTFont(path, fontNumber=int(index), lazy=True)["cmap"].getBestCmap()


def test_a_character_an_editor_replaced_or_a_rule_mapped_needs_no_warning(tmp_path, capsys):
    """The warning counts what is left after fixes and clean-up: a Tangut character
    an editor replaced, or a Symbol-font code the symbol_font rule read, is no box."""
    line = GOOD.count("\n") + 2
    raw = GOOD + f"\n西夏文{TANGUT}字，不等式 4\uf03cm。\n"
    fixes = f'[[fix]]\nlines = "{line}"\nexpect = "文{TANGUT}字"\naction = "replace"\ntext = "文（图）字"\n'
    ws = build(capsys, make_issue(tmp_path, raw, fixes=fixes), tmp_path / "o")
    assert not [w for w in ws if w["rule"] == RULE], ws
    assert "4&lt;m" in epub_text(tmp_path / "o")
    ws = build(capsys, make_issue(tmp_path / "unfixed", raw), tmp_path / "o2")
    assert [w["message"].split(":")[0] for w in ws if w["rule"] == RULE] == ["U+17000 TANGUT IDEOGRAPH-17000"]
