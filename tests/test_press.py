"""What the print shop gets beyond the layout (pipeline/render/press.py): a registered printing
condition as the output intent, or the shop's own profile from magazine.toml; crop marks in the
slug, clear of the 3 mm bleed; whole sheets."""
import shutil
import subprocess
import sys

import pytest
from PIL import Image
from pypdf import PdfReader

from helpers import ROOT, bad_input_line, make_issue
from pipeline.render.press import DEFAULT_PROFILE, FALLBACK_PROFILE, profile_description, profile_problem

MM = 72 / 25.4
PROSE = "".join(f"第{n}段：晶圆制造包括光刻、刻蚀、沉积与清洗等数百道工序，每一道都关系到芯片的良率。\n\n" for n in range(60))
RAW = f"# 晶圆厂参观记\n\n{PROSE}# 封装测试\n\n{PROSE}"


def build(folder, out, formats="print"):
    return subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--out", str(out),
                           "--formats", formats, "--quiet"], cwd=ROOT, capture_output=True, text=True)


def intent(pdf):
    (oi,) = PdfReader(str(pdf)).trailer["/Root"]["/OutputIntents"]
    return oi.get_object()


def test_the_default_profile_is_fogra39_made_at_set_up():
    assert DEFAULT_PROFILE.is_file(), "make setup makes it (tools/press_profile.py)"
    data = DEFAULT_PROFILE.read_bytes()
    assert profile_problem(data) == "" and "FOGRA39" in profile_description(data)
    assert profile_problem(FALLBACK_PROFILE.parent.joinpath("default_rgb.icc").read_bytes()).startswith(
        "an ICC profile of RGB")


@pytest.mark.slow
def test_the_print_pdf_names_a_registered_condition_and_keeps_its_marks_out_of_the_bleed(tmp_path):
    folder = make_issue(tmp_path, RAW)
    out = tmp_path / "out"
    proc = build(folder, out, "screen,print")
    assert proc.returncode == 0, proc.stderr
    oi = intent(out / "test-01-print.pdf")
    assert oi["/OutputConditionIdentifier"] == "FOGRA39" and oi["/RegistryName"] == "http://www.color.org"
    assert "ISO 12647-2" in oi["/OutputCondition"]
    reader = PdfReader(str(out / "test-01-print.pdf"))
    screen = PdfReader(str(out / "test-01.pdf"))
    assert len(reader.pages) % 4 == 0 and len(screen.pages) < len(reader.pages)   # (padded: this one needs it)
    assert all(p.extract_text().strip() for p in screen.pages[1:])                  # no blank page for readers
    page = reader.pages[2]
    trim, bleed, media = ([float(v) for v in page[k]] for k in ("/TrimBox", "/BleedBox", "/MediaBox"))
    assert [round((t - b) / MM, 2) for t, b in zip(trim[:2], bleed[:2])] == [3.0, 3.0]
    assert [round((b - m) / MM, 1) for b, m in zip(bleed[:2], media[:2])] == [7.0, 7.0]
    # on a page of text: the marks are drawn in the slug, and nothing in the 3 mm the press cuts into
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "3", "-l", "3", str(out / "test-01-print.pdf"),
                    str(tmp_path / "p")], check=True)
    im = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    px = 200 / 25.4
    dark = lambda x0, x1, y0, y1: sum(1 for x in range(int(x0 * px), int(x1 * px))
                                      for y in range(int(y0 * px), int(y1 * px)) if im.getpixel((x, y)) < 128)
    assert dark(9.6, 10.4, 0, 5) > 10          # the vertical crop mark at the trim's left edge, top slug
    assert dark(7, 9.9, 7, 9.9) == 0            # the bleed's corner: clean
    assert dark(10.5, 219.5, 7.2, 9.8) == 0     # along the top, within the bleed


@pytest.mark.slow
def test_the_print_shops_own_profile_and_condition_from_magazine_toml(tmp_path):
    magazine = (ROOT / "sources" / "magazine.toml").read_text(encoding="utf-8") + (
        '\n[print]\nprofile = "press/shop.icc"\ncondition = "CGATS TR 001"\ncondition_text = "SWOP, web offset"\n')
    folder = make_issue(tmp_path, RAW, magazine=magazine)
    (folder.parent / "press").mkdir()
    shutil.copy(FALLBACK_PROFILE, folder.parent / "press" / "shop.icc")     # Ghostscript's SWOP profile
    proc = build(folder, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    oi = intent(tmp_path / "out" / "test-01-print.pdf")
    assert oi["/OutputConditionIdentifier"] == "CGATS TR 001" and oi["/OutputCondition"] == "SWOP, web offset"
    embedded = oi["/DestOutputProfile"].get_object().get_data()
    assert "SWOP" in profile_description(embedded)


@pytest.mark.parametrize("table, said", [
    ('profile = "../shop.icc"', "outside the sources folder"),
    ('profile = "press/none.icc"', "not in the sources folder"),
    ('profile = "press/rgb.icc"', "an ICC profile of RGB colour, not CMYK"),
    ('profile = "press/text.icc"', "not an ICC profile"),
    ('profile = "press/rgb.icc"\npaper = "coated"', "[print] has no 'paper'"),
    ('condition = "FOGRA39"', "no 'profile'"),
])
def test_a_print_table_that_names_no_usable_profile_is_bad_input(tmp_path, table, said):
    magazine = f'masthead = "示例月刊"\n\n[print]\n{table}\n'
    folder = make_issue(tmp_path, RAW, magazine=magazine)
    (folder.parent / "press").mkdir()
    shutil.copy(FALLBACK_PROFILE.parent / "default_rgb.icc", folder.parent / "press" / "rgb.icc")
    (folder.parent / "press" / "text.icc").write_text("not a profile" * 20)
    line = bad_input_line(folder, tmp_path / "out")
    assert "magazine.toml:" in line and said in line, line


@pytest.mark.slow
def test_a_profile_without_a_registered_condition_is_warned_about(tmp_path):
    import json
    magazine = (ROOT / "sources" / "magazine.toml").read_text(encoding="utf-8") + '\n[print]\nprofile = "shop.icc"\n'
    folder = make_issue(tmp_path, RAW, magazine=magazine)
    shutil.copy(FALLBACK_PROFILE, folder.parent / "shop.icc")
    proc = build(folder, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    oi = intent(tmp_path / "out" / "test-01-print.pdf")
    assert "/RegistryName" not in oi and "SWOP" in oi["/OutputConditionIdentifier"]   # the profile's own name
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [w["rule"] for w in report["warnings"] if w["rule"] == "pdf.output_intent"] == ["pdf.output_intent"]
