"""Bad input: each kind either builds with a warning in the report or stops
with exit code 2 and one line `error: FILE:LINE: …`; never a traceback, never
a half-written or replaced edition."""
import hashlib
import json
import os
import stat
import subprocess
import sys

import pytest

from helpers import ROOT, make_issue

pytestmark = pytest.mark.slow   # each case is a build in a subprocess

GOOD = ("# 天堂之芯\n\n# 目录\n\n### • 芯动态\n\n- ▲甲公司发布新品 — 01\n\n"
        "## 甲公司发布新品\n\n甲公司今天发布了新品，性能提升一倍。\n\n（来源：芯东西）\n")


def build(folder, out, *extra):
    return subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", "epub",
                           "--out", str(out), "--quiet", *extra], cwd=ROOT, capture_output=True, text=True)


def report(out):
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def one_error_line(proc, file_part):
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and file_part in last, last
    return last


# ------------------------------------------------------------ stops with exit 2

@pytest.mark.parametrize("name, raw, where", [
    ("empty file", b"", "raw.md:1:"),
    ("binary file", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "raw.md:"),
    ("only whitespace", b"  \n\n\t\n", "raw.md:1:"),
])
def test_unreadable_text_stops_with_one_line(tmp_path, name, raw, where):
    folder = make_issue(tmp_path, raw)
    proc = build(folder, tmp_path / "o")
    one_error_line(proc, where)
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_missing_issue_toml(tmp_path):
    folder = make_issue(tmp_path, GOOD)
    (folder / "issue.toml").unlink()
    one_error_line(build(folder, tmp_path / "o"), "issue.toml:0:")


def test_invalid_toml_names_its_line(tmp_path):
    folder = make_issue(tmp_path, GOOD, issue_toml='id = "x"\ntitle = "天堂之芯\n')
    last = one_error_line(build(folder, tmp_path / "o"), "issue.toml:")
    assert "issue.toml:2:" in last


def test_issue_toml_missing_a_required_field(tmp_path):
    folder = make_issue(tmp_path, GOOD, issue_toml='id = "x"\ntitle = "天堂之芯"\n')
    last = one_error_line(build(folder, tmp_path / "o"), "issue.toml:")
    assert "subtitle" in last


def test_invalid_fixes_toml_names_the_fix(tmp_path):
    folder = make_issue(tmp_path, GOOD, fixes='[[fix]]\nlines = "3"\nexpect = "甲"\naction = "explode"\n')
    last = one_error_line(build(folder, tmp_path / "o"), "fixes.toml:")
    assert "action" in last


def test_unknown_edition(tmp_path):
    folder = make_issue(tmp_path, GOOD)
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", "epub,mobi",
                           "--out", str(tmp_path / "o")], cwd=ROOT, capture_output=True, text=True)
    assert "mobi" in one_error_line(proc, "--formats")


def test_output_folder_that_cannot_be_written(tmp_path):
    folder = make_issue(tmp_path, GOOD)
    if os.geteuid() == 0:
        locked = "/proc/1/editions"    # even root cannot make a folder in /proc
    else:
        (tmp_path / "locked").mkdir()
        (tmp_path / "locked").chmod(stat.S_IRUSR | stat.S_IXUSR)
        locked = str(tmp_path / "locked" / "o")
    one_error_line(build(folder, locked), locked)


def test_output_path_that_is_a_file(tmp_path):
    folder = make_issue(tmp_path, GOOD)
    (tmp_path / "o").write_text("not a folder")
    one_error_line(build(folder, tmp_path / "o"), "o:0:")


def test_a_failed_build_leaves_the_previous_editions_untouched(tmp_path):
    folder = make_issue(tmp_path, GOOD)
    out = tmp_path / "o"
    assert build(folder, out).returncode == 0
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()}
    (folder / "raw.md").write_bytes(b"")
    one_error_line(build(folder, out), "raw.md:1:")
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()}
    assert after == before          # nothing replaced, nothing half-written, no temporary left


# ------------------------------------------------------------ builds with a warning

@pytest.mark.parametrize("name, raw, rule", [
    ("UTF-16 with BOM", GOOD.encode("utf-16"), "read.encoding"),
    ("GB18030", GOOD.encode("gb18030"), "read.encoding"),
    ("UTF-8 with BOM", b"\xef\xbb\xbf" + GOOD.encode("utf-8"), "read.encoding"),
    ("CRLF line ends", GOOD.replace("\n", "\r\n").encode("utf-8"), "read.line_ends"),
    ("no contents page", "# 甲\n\n正文，完整。\n\n# 乙\n\n正文，也完整。\n".encode(), "structure.contents"),
    ("contents entry with no article", GOOD.replace("- ▲甲公司发布新品 — 01\n", "- ▲甲公司发布新品 — 01\n- ▲不存在的文章 — 02\n").encode(),
     "structure.unmatched_entry"),
    ("nothing but headings", "# 甲\n\n## 乙\n\n### 丙\n".encode(), "structure.contents"),
    ("file cut off inside a table", (GOOD + "\n公司\t营收\t份额\n甲\t10\t5%\n乙\t2").encode(), "tables.ragged"),
    ("rows of different lengths", (GOOD + "\n公司\t营收\t份额\n甲\t10\n乙\t2\t3%\t多余\n").encode(), "tables.ragged"),
])
def test_damaged_text_builds_with_a_warning(tmp_path, name, raw, rule):
    folder = make_issue(tmp_path, raw)
    out = tmp_path / "o"
    proc = build(folder, out)
    assert proc.returncode == 0, proc.stderr
    assert rule in [w["rule"] for w in report(out)["warnings"]], report(out)["warnings"]


@pytest.mark.parametrize("name, tail", [
    ("a 10,000-character line", "很长的一行，" * 1700 + "结束。"),
    ("unbalanced <b>", "这里<b>加粗没有结束，然后<u>下划线</b>交错。"),
    ("nested and unknown tags", "<foo><b><i>嵌套</i></b></foo><blink>闪烁</blink>文字。"),
])
def test_odd_inline_text_builds_and_loses_nothing(tmp_path, name, tail):
    import zipfile
    folder = make_issue(tmp_path, GOOD + "\n" + tail + "\n")
    out = tmp_path / "o"
    proc = build(folder, out)
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out / "test-01.epub") as z:
        text = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    han = [c for c in tail if "\u4e00" <= c <= "\u9fff"]
    body = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    for c in set(han):
        assert body.count(c) >= han.count(c), c


def test_a_fix_that_moves_text_to_a_line_the_raw_text_has_not_stops(tmp_path):
    from conftest import SMALL
    from helpers import bad_input_line
    last = SMALL.count("\n") + 1
    fixes = f'[[fix]]\nlines = "9"\nexpect = "甲公司"\naction = "move"\nto = {last + 1}\n'
    line = bad_input_line(make_issue(tmp_path, SMALL, fixes=fixes), tmp_path / "out")
    assert line == (f"error: {tmp_path}/sources/test-01/fixes.toml:5: fix 1: to = {last + 1} is past the raw "
                    f"text's last line ({last})")


def test_keys_no_stage_reads_are_warned_of_with_their_line(tmp_path):
    from conftest import SMALL
    from helpers import ROOT as root
    folder = make_issue(tmp_path, SMALL)
    with open(folder / "issue.toml", "a", encoding="utf-8") as f:
        f.write('colour = "red"\n')
    magazine = (root / "sources" / "magazine.toml").read_text(encoding="utf-8")
    (folder.parent / "magazine.toml").write_text("mastheed = \"天堂之芯\"\n" + magazine, encoding="utf-8")
    proc = build(folder, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    said = [w["message"] for w in report(tmp_path / "out")["warnings"] if w["rule"] == "sources.unknown_key"]
    assert said == ["issue.toml:8: unknown key 'colour': issue.toml holds id, title, subtitle, language, date, "
                    "publisher, identifier, number, cover, modified",
                    "magazine.toml:1: unknown key 'mastheed': magazine.toml holds masthead, masthead_en, "
                    "disclaimer, sections, subjects, publisher, words, print"]


def test_a_replace_fix_that_changes_nothing_is_warned_of(tmp_path):
    from conftest import SMALL
    line = next(n for n, text in enumerate(SMALL.split("\n"), 1) if "性能提升一倍" in text)
    fixes = f'[[fix]]\nlines = "{line}"\nexpect = "一倍"\naction = "replace"\ntext = "一倍"\n'
    proc = build(make_issue(tmp_path, SMALL, fixes=fixes), tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    said = [w["message"] for w in report(tmp_path / "out")["warnings"] if w["rule"] == "fixes"]
    assert said == ["a replace fix whose text is the text it replaces ('一倍') changes nothing: "
                    "write the new text in `text`"]
