"""Faults an attack run found: paths in an issue id, control characters, wrong
types and values in the TOML files, an absurd SOURCE_DATE_EPOCH, an output
folder behind a symlink.  Bad input is exit 2 and exactly one line
`error: FILE:LINE: …` with nothing written; control characters in raw.md are
removed with a warning naming line and code point, and the build goes on."""
import json
import os
import subprocess
import sys
import zipfile

import pytest

from helpers import ROOT, make_issue
from pipeline import cli
from pipeline.model import Log
from pipeline.read import decode, read_blocks

GOOD = ("# 天堂之芯\n\n# 目录\n\n### • 芯动态\n\n- ▲甲公司发布新品 — 01\n\n"
        "## 甲公司发布新品\n\n甲公司今天发布了新品，性能提升一倍。\n\n（来源：芯东西）\n")
ISSUE = ('id = "test-01"\ntitle = "天堂之芯"\nsubtitle = "Integrated Circuit News"\nlanguage = "zh-CN"\n'
         'date = "2025-09"\npublisher = "测试出版社"\nidentifier = "urn:uuid:00000000-0000-4000-8000-000000000001"\n')
FIX = '[[fix]]\nlines = "11"\nexpect = "甲公司今天"\naction = "join"\n'


def run(folder, out, *extra, env=None, before=()):
    """The command in a separate process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "pipeline", *before, "build", str(folder),
                           "--formats", "epub", "--out", str(out), "--quiet", *extra],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})


def main(capsys, folder, out, *extra):
    """The command in this process (fast): (exit code, stderr)."""
    code = cli.main(["build", str(folder), "--formats", "epub", "--out", str(out), "--quiet", *extra])
    return code, capsys.readouterr().err


def exactly_one_error(code, stderr, where):
    assert code == 2, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr          # no traceback, no `building …` line before it
    assert lines[0].startswith("error: ") and where in lines[0], lines[0]
    return lines[0]


def nothing_written(tmp_path, out):
    assert not out.exists()
    made = {p.name for p in tmp_path.rglob("*")} - {"sources", "magazine.toml", "test-01", "raw.md",
                                                     "issue.toml", "fixes.toml"}
    assert not made, made


def epub_text(out):
    with zipfile.ZipFile(out / "test-01.epub") as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xhtml", ".opf", ".ncx")))


def warnings(out):
    return json.loads((out / "report.json").read_text(encoding="utf-8"))["warnings"]


# ------------------------------------------------------------ 1. the issue id is a name, not a path

@pytest.mark.parametrize("bad", ["../../../escaped", "/tmp/hi-escaped-abs", "..", ".", "a/b", ".hidden",
                                 "a\\\\b", "中文", "a b", "x" * 65])
def test_an_id_that_is_not_a_name_stops(tmp_path, bad):
    folder = make_issue(tmp_path, GOOD, ISSUE.replace('id = "test-01"', f'id = "{bad}"'))
    out = tmp_path / "o"
    proc = run(folder, out)
    line = exactly_one_error(proc.returncode, proc.stderr, "issue.toml:1:")
    assert "a-z and A-Z, digits, '-', '_' and '.' (not first)" in line or "at most 64" in line
    nothing_written(tmp_path, out)
    assert not os.path.exists("/tmp/hi-escaped-abs.epub")
    assert not (ROOT / "..epub").exists() and not (ROOT.parent / "escaped.epub").exists()


@pytest.mark.parametrize("good", ["2025-08", "test_01", "v1.2", "A-1"])
def test_names_are_fine_ids(tmp_path, capsys, good):
    folder = make_issue(tmp_path, GOOD, ISSUE.replace('id = "test-01"', f'id = "{good}"'))
    code, err = main(capsys, folder, tmp_path / "o")
    assert code == 0, err
    assert (tmp_path / "o" / f"{good}.epub").is_file()


# ------------------------------------------------------------ 1. --out behind a symlink

def test_out_symlink_is_resolved_and_noted(tmp_path):
    folder = make_issue(tmp_path, GOOD)
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    proc = run(folder, tmp_path / "link")
    assert proc.returncode == 0, proc.stderr
    notes = [line for line in proc.stderr.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1 and str(tmp_path / "link") in notes[0] and str(tmp_path / "real") in notes[0]
    assert (tmp_path / "real" / "test-01.epub").is_file()


@pytest.mark.parametrize("system", ["/etc", "/usr/lib", "/proc", "/dev"])
def test_out_symlink_into_a_system_folder_is_refused(tmp_path, system):
    folder = make_issue(tmp_path, GOOD)
    (tmp_path / "link").symlink_to(system)
    proc = run(folder, tmp_path / "link")
    line = exactly_one_error(proc.returncode, proc.stderr, f"{tmp_path / 'link'}:0:")
    assert f"is a symlink to {system}" in line
    assert not [f for f in os.listdir(system) if f.startswith((".build-", "test-01", "report."))]


def test_out_in_a_system_folder_is_refused(tmp_path, capsys):
    folder = make_issue(tmp_path, GOOD)
    code, err = main(capsys, folder, "/usr/share/hi-editions")
    exactly_one_error(code, err, "/usr/share/hi-editions:0: refusing")
    assert not os.path.exists("/usr/share/hi-editions")


# ------------------------------------------------------------ 4. control characters in raw.md

CONTROLS = ["\f", "\x01", "\x08", "\x0b", "\x1b", "\r", "\x7f", "\x80", "\x85", "\x9f", "\ufffe", "\uffff",
            "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def test_control_characters_are_removed_and_reported(tmp_path):
    """Each at its own raw line; all gone from the EPUB, each named with line and code point."""
    lines = [f"第{k}段文字{ch}在这里，完整。" for k, ch in enumerate(CONTROLS)]
    raw = GOOD + "\n" + "\n\n".join(lines) + "\n"
    first = raw[:raw.index("第0段")].count("\n") + 1
    folder = make_issue(tmp_path, raw)
    out = tmp_path / "o"
    proc = run(folder, out)
    assert proc.returncode == 0, proc.stderr
    text = epub_text(out)
    for k, ch in enumerate(CONTROLS):
        assert ch not in text, f"U+{ord(ch):04X}"
        assert f"第{k}段文字在这里" in "".join(text.split())   # nothing else lost (the spacing rule: 第 0 段)
    found = [w for w in warnings(out) if w["rule"] == "read.control_chars"]
    assert len(found) == len(CONTROLS)                     # one per code point
    for k, ch in enumerate(CONTROLS):
        line = first + 2 * k
        w = next(w for w in found if f"U+{ord(ch):04X}" in w["message"])
        assert w["lines"] == str(line) and f"line {line}" in w["message"], w


def test_many_of_one_control_character_make_one_warning(tmp_path):
    raw = GOOD + "\n" + "\n".join(f"\f第{k}页，正文。" for k in range(50)) + "\n"
    folder = make_issue(tmp_path, raw)
    out = tmp_path / "o"
    proc = run(folder, out)
    assert proc.returncode == 0, proc.stderr
    found = [w for w in warnings(out) if w["rule"] == "read.control_chars"]
    assert len(found) == 1 and "U+000C" in found[0]["message"] and "50 places" in found[0]["message"]
    assert "and 40 more" in found[0]["message"] and found[0]["lines"] == "15-64"
    assert "\f" not in epub_text(out)


def test_a_form_feed_between_pages_is_a_line_break():
    log = Log()
    text = decode("The end of page one\fand page two.\n上一页\f下一页\n\f# 标题\n".encode(), "raw.md", log)
    assert text == "The end of page one and page two.\n上一页下一页\n# 标题\n"   # not "oneand"
    assert [w.span.start for w in log.warnings] == [1]
    assert "U+000C" in log.warnings[0].message and "lines 1, 2, 3" in log.warnings[0].message


def test_removing_a_character_moves_no_line():
    raw = "# 标题\n\n甲\x01乙\u202e丙\r丁\n第二行\f\n\n- 项目\x7f\n\n最后一段。\n"
    blocks = read_blocks(decode(raw.encode(), "raw.md", Log()), Log())
    assert [(b.span.start, b.span.end) for b in blocks] == [(1, 1), (3, 4), (6, 6), (8, 8)]
    assert blocks[1].text == "甲乙丙丁第二行"


def test_a_fix_still_finds_its_line_after_a_control_character(tmp_path, capsys):
    raw = GOOD.replace("# 目录", "# 目\f录").replace("性能", "性\x01能")
    folder = make_issue(tmp_path, raw, fixes=FIX)
    out = tmp_path / "o"
    code, err = main(capsys, folder, out)
    assert code == 0, err
    assert not any(w["rule"] == "fixes" for w in warnings(out))   # the fix at line 11 applied


def test_cr_line_ends_are_still_line_ends():
    log = Log()
    assert decode("甲\r乙\r丙".encode(), "raw.md", log) == "甲\n乙\n丙"
    assert [w.rule for w in log.warnings] == ["read.line_ends"]


# ------------------------------------------------------------ 4. text that cannot be decoded

@pytest.mark.parametrize("name, data, where", [
    ("truncated UTF-16", GOOD.encode("utf-16")[:-1], "raw.md:13:"),
    ("lone surrogate, UTF-16 LE", b"\xff\xfe" + "甲\n乙\n".encode("utf-16-le") + b"\x00\xd8"
     + "丙".encode("utf-16-le"), "raw.md:3:"),
    ("lone surrogate, UTF-16 BE", b"\xfe\xff" + "甲\n".encode("utf-16-be") + b"\xdc\x00", "raw.md:2:"),
    ("UTF-16 BOM and nothing", b"\xff\xfe", "raw.md:1:"),
    ("UTF-16 with NUL", b"\xff\xfe" + "甲\n\x00".encode("utf-16-le"), "raw.md:2:"),
    ("surrogate in UTF-8", (GOOD * 3).encode() + b"\xed\xa0\x80\n", "raw.md:40:"),
    ("nothing but control characters", b"\x01\x02\n\x1b\n", "raw.md:1:"),
])
def test_undecodable_text_stops_with_one_line(tmp_path, name, data, where):
    folder = make_issue(tmp_path, data)
    out = tmp_path / "o"
    proc = run(folder, out)
    exactly_one_error(proc.returncode, proc.stderr, where)
    nothing_written(tmp_path, out)


# ------------------------------------------------------------ 4, 5. issue.toml: characters, lengths, types, values

def _issue(key, value):
    lines = [line if not line.startswith(f"{key} =") else f"{key} = {value}" for line in ISSUE.splitlines()]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("key, value, line, says", [
    ("title", r'"天堂\u0001之芯"', 2, "U+0001"),
    ("title", r'"天堂\n之芯"', 2, "U+000A"),
    ("publisher", r'"测试\u202e出版社"', 6, "U+202E"),
    ("subtitle", r'"Integrated\u0085News"', 3, "U+0085"),
    ("identifier", r'"urn:uuid:\u007f"', 7, "U+007F"),
    ("publisher", '"' + "出" * 100_000 + '"', 6, "100,000 characters"),
    ("title", '"' + "天" * 301 + '"', 2, "at most 300"),
    ("title", "5", 2, "not a whole number"),
    ("subtitle", "[\"a\"]", 3, "not an array"),
    ("title", '""', 2, "empty"),
    ("date", '"2025-13"', 5, "calendar date"),
    ("date", '"2025-02-30"', 5, "calendar date"),
    ("date", '"25-08"', 5, "calendar date"),
    ("date", '"2025/08"', 5, "calendar date"),
    ("date", '"2025-8"', 5, "calendar date"),
    ("date", "2025", 5, "not a whole number"),
    ("date", "2025-08-01T10:00:00", 5, "date or time"),
    ("language", '"中文 简体"', 4, "BCP 47"),
    ("language", '"zh_CN"', 4, "BCP 47"),
    ("language", '"c"', 4, "BCP 47"),
    ("language", '"zh-CN-"', 4, "BCP 47"),
    ("language", '"chinese"', 4, "BCP 47"),
])
def test_invalid_metadata_stops_with_its_line(tmp_path, capsys, key, value, line, says):
    folder = make_issue(tmp_path, GOOD, _issue(key, value))
    out = tmp_path / "o"
    code, err = main(capsys, folder, out)
    assert says in exactly_one_error(code, err, f"issue.toml:{line}:")
    nothing_written(tmp_path, out)


@pytest.mark.parametrize("number, line", [("[number]\na = 1\n", 8), ("number = [1, 2]\n", 8),
                                          ("number = true\n", 8), ("number = 1.5\n", 8),
                                          ("number = \"第\\u00018期\"\n", 8),
                                          ("number = \"" + "期" * 101 + "\"\n", 8)])
def test_a_number_that_is_not_a_text_stops(tmp_path, capsys, number, line):
    folder = make_issue(tmp_path, GOOD, ISSUE + number)
    code, err = main(capsys, folder, tmp_path / "o")
    assert "'number'" in exactly_one_error(code, err, f"issue.toml:{line}:")


def test_a_control_character_in_an_extra_field_stops(tmp_path, capsys):
    folder = make_issue(tmp_path, GOOD, ISSUE + 'editor = "某\\u0007人"\n')
    code, err = main(capsys, folder, tmp_path / "o")
    assert "U+0007" in exactly_one_error(code, err, "issue.toml:8:")


@pytest.mark.parametrize("key, value", [
    ("date", '"2025"'), ("date", '"2025-08-31"'), ("date", "2025-08-01"), ("date", '"2024-02-29"'),
    ("language", '"zh"'), ("language", '"zh-Hans-CN"'), ("language", '"en-US"'), ("language", '"de-CH-1901"'),
    ("language", '"zh-cmn-Hans"'), ("language", '"es-419"'), ("language", '"zh-CN-x-hicc"'),
    ("publisher", '"' + "出" * 300 + '"'), ("number", "8"),
])
def test_valid_metadata_builds(tmp_path, capsys, key, value):
    folder = make_issue(tmp_path, GOOD, _issue(key, value) if key != "number" else ISSUE + f"number = {value}\n")
    out = tmp_path / "o"
    code, err = main(capsys, folder, out)
    assert code == 0, err
    if key == "date":
        assert "2025-08-01" in epub_text(out) or value.strip('"') in epub_text(out)


def test_wrong_types_in_magazine_toml_stop(tmp_path, capsys):
    folder = make_issue(tmp_path, GOOD)
    path = folder.parent / "magazine.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('masthead = "天堂之芯"', "masthead = 5"),
                    encoding="utf-8")
    code, err = main(capsys, folder, tmp_path / "o")
    exactly_one_error(code, err, "magazine.toml:2:")


# ------------------------------------------------------------ 4. fixes.toml: wrong types

@pytest.mark.parametrize("fixes, line, says", [
    (FIX + 'to = "abc"\n', 5, "'to'"),
    (FIX + "to = 0\n", 5, "'to'"),
    (FIX.replace('"join"', '"drop"') + "to = 3\n", 5, "'to'"),
    (FIX.replace('expect = "甲公司今天"', "expect = 5"), 3, "'expect' must be a text"),
    (FIX.replace('"join"', '"replace"') + "text = 42\n", 5, "'text' must be a text"),
    (FIX + "why = [1]\n", 5, "'why' must be a text"),
    (FIX.replace('"join"', '"replace"') + 'text = "a\\u0001b"\n', 5, "U+0001"),
    ('fix = "x"\n', 1, "[[fix]]"),
    ("fix = [1, 2]\n", 1, "[[fix]]"),
    ("[fix]\nlines = \"3\"\n", 1, "[[fix]]"),
    (FIX.replace('action = "join"\n', ""), 1, "action"),
    (FIX.replace('action = "join"', "action = 3"), 4, "action"),
    (FIX.replace('lines = "11"', "lines = true"), 2, "lines"),
    (FIX.replace('lines = "11"', 'lines = "0"'), 2, "lines"),
    (FIX.replace('lines = "11"', 'lines = "12-3"'), 2, "lines"),
    (FIX.replace('lines = "11"', "lines = [11]"), 2, "lines"),
    (FIX + 'expected = "x"\n', 5, "unknown key 'expected'"),
    (FIX + FIX + 'txt = "x"\n', 9, "fix 2: unknown key 'txt'"),
    ("[[fixes]]\nlines = \"3\"\n", 1, "unknown key 'fixes'"),
    ('[clean]\ndisable = "join_page_breaks"\n', 2, "disable"),
    ("clean = 3\n", 1, "'clean'"),
    ('[clean]\nenable = ["x"]\n', 2, "enable"),
])
def test_invalid_fixes_stop_with_their_line(tmp_path, capsys, fixes, line, says):
    folder = make_issue(tmp_path, GOOD, fixes=fixes)
    out = tmp_path / "o"
    code, err = main(capsys, folder, out)
    assert says in exactly_one_error(code, err, f"fixes.toml:{line}:")
    nothing_written(tmp_path, out)


def test_fixes_with_wrong_types_stop_in_a_separate_process(tmp_path):
    folder = make_issue(tmp_path, GOOD, fixes=FIX + 'to = "abc"\n')
    proc = run(folder, tmp_path / "o")
    exactly_one_error(proc.returncode, proc.stderr, "fixes.toml:5:")


def test_valid_fixes_still_apply(tmp_path, capsys):
    folder = make_issue(tmp_path, GOOD, fixes=FIX.replace('"join"', '"replace"') + 'text = "乙公司今天"\n'
                        + '\n[[fix]]\nlines = 11\nexpect = "性能"\naction = "keep"\nwhy = "test"\n'
                        + '\n[clean]\ndisable = ["join_page_breaks"]\n')
    out = tmp_path / "o"
    code, err = main(capsys, folder, out)
    assert code == 0, err
    assert "乙公司今天发布" in epub_text(out)


# ------------------------------------------------------------ 4. SOURCE_DATE_EPOCH

@pytest.mark.parametrize("value", ["99999999999999", "abc", "-5", "1e9", "1700000000.5", " 1700000000",
                                   "4354819200"])
def test_an_absurd_source_date_epoch_stops(tmp_path, value):
    folder = make_issue(tmp_path, GOOD)
    out = tmp_path / "o"
    proc = run(folder, out, env={"SOURCE_DATE_EPOCH": value})
    exactly_one_error(proc.returncode, proc.stderr, "SOURCE_DATE_EPOCH:0:")
    nothing_written(tmp_path, out)


@pytest.mark.parametrize("value", ["", "0", "1700000000", "4354819199"])
def test_a_sensible_source_date_epoch_builds(tmp_path, capsys, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    folder = make_issue(tmp_path, GOOD)
    code, err = main(capsys, folder, tmp_path / "o")
    assert code == 0, err


# ------------------------------------------------------------ --debug before or after the command

@pytest.mark.parametrize("argv, debug", [
    (["--debug", "build", "x"], True), (["build", "x", "--debug"], True), (["build", "x"], False),
    (["--debug", "check", "d"], True), (["check", "d", "--debug"], True), (["check", "d"], False),
])
def test_debug_goes_before_or_after_the_command(argv, debug):
    assert cli._parser().parse_args(argv).debug is debug


@pytest.mark.parametrize("before, after", [(["--debug"], []), ([], ["--debug"]), ([], [])])
def test_debug_shows_the_traceback_of_an_internal_error(tmp_path, capsys, monkeypatch, before, after):
    import pipeline.build

    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(pipeline.build, "build", broken)
    folder = make_issue(tmp_path, GOOD)
    code = cli.main([*before, "build", str(folder), "--formats", "epub", "--out", str(tmp_path / "o"),
                     "--quiet", *after])
    err = capsys.readouterr().err
    assert code == 1 and "internal error: RuntimeError: boom" in err
    assert ("Traceback" in err) is bool(before or after)


# ------------------------------------------------------------ 2. the edition set is switched whole

def report_matches_files(out):
    """What the print shop checks: every file the report names has the SHA-256 it says."""
    import hashlib
    editions = json.loads((out / "report.json").read_text(encoding="utf-8"))["editions"]
    assert editions
    for name, e in editions.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == e["sha256"], name


KILL_AT_SWITCH = """
import os, signal, sys
import pipeline.build as b
from pipeline import cli
b._switch = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
sys.exit(cli.main(sys.argv[1:]))
"""


def test_a_build_killed_at_the_switch_leaves_the_old_set_whole(tmp_path):
    folder = make_issue(tmp_path, GOOD)
    out = tmp_path / "o"
    assert run(folder, out, "--formats", "epub,screen").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (folder / "raw.md").write_text(GOOD.replace("一倍", "两倍"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", KILL_AT_SWITCH, "build", str(folder), "--formats",
                           "epub,screen", "--out", str(out), "--quiet"], cwd=ROOT, capture_output=True)
    assert proc.returncode == -9
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before     # not one file replaced
    report_matches_files(out)
    stale = [p.name for p in tmp_path.glob(".build-o-*")]
    assert len(stale) == 1                                                 # what the kill left
    proc = run(folder, out, "--formats", "epub,screen")
    assert proc.returncode == 0, proc.stderr
    assert not list(tmp_path.glob(".build-o-*"))
    assert any(w["rule"] == "publish" and stale[0] in w["message"] for w in warnings(out))
    assert "两倍" in epub_text(out)
    report_matches_files(out)


def test_a_rebuild_keeps_what_the_build_did_not_make(tmp_path):
    """A preview or a folder of screenshots beside the editions, and an edition not
    rebuilt this time, are still there after the switch."""
    folder = make_issue(tmp_path, GOOD)
    out = tmp_path / "o"
    assert run(folder, out, "--formats", "screen,epub").returncode == 0
    pdf = (out / "test-01.pdf").read_bytes()
    (out / "preview.png").write_bytes(b"png")
    (out / "screens").mkdir()
    (out / "screens" / "a.png").write_bytes(b"a")
    assert run(folder, out).returncode == 0            # epub only
    assert (out / "preview.png").read_bytes() == b"png" and (out / "screens" / "a.png").read_bytes() == b"a"
    assert (out / "test-01.pdf").read_bytes() == pdf
    assert set(json.loads((out / "report.json").read_text())["editions"]) == {"test-01.epub"}


def test_a_second_build_into_the_same_folder_is_refused_while_the_first_runs(tmp_path):
    import fcntl
    folder = make_issue(tmp_path, GOOD)
    out = tmp_path / "o"
    with open(tmp_path / ".o.lock", "w") as lock:      # as a running build holds it
        lock.write("4242\n")
        lock.flush()
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = run(folder, out)
    line = exactly_one_error(proc.returncode, proc.stderr, f"{out}:0:")
    assert "another build (pid 4242) is writing this folder" in line
    assert not out.exists()
    assert run(folder, out).returncode == 0            # the lock went with its holder


def test_two_builds_at_once_end_in_one_whole_set(tmp_path):
    folder = make_issue(tmp_path, GOOD)
    out = tmp_path / "o"
    cmd = [sys.executable, "-m", "pipeline", "build", str(folder), "--formats", "epub", "--out", str(out),
           "--quiet"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    codes = [(p.wait(), p.stderr.read()) for p in procs]
    assert all(c in (0, 2) for c, _ in codes) and 0 in [c for c, _ in codes], codes
    for c, err in codes:
        if c == 2:
            assert err.count("\n") == 1 and "another build" in err, err
    report_matches_files(out)
    assert not list(tmp_path.glob(".build-*"))


@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs of 3 MB where this machine lets us mount one; else the test is skipped."""
    disk = tmp_path / "disk"
    disk.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode().strip()}")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_is_bad_input_and_leaves_the_previous_set(tmp_path, small_disk):
    folder = make_issue(tmp_path, GOOD)
    out = small_disk / "o"
    assert run(folder, out).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    filler = small_disk / "filler"
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    filler.write_bytes(b"\0" * (free - 20_000))         # room for less than an EPUB
    proc = run(folder, out)
    line = exactly_one_error(proc.returncode, proc.stderr, f"{out}:0:")
    assert "no space left on the device: the edition set needs about" in line
    assert "the previous set is unchanged" in line
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    report_matches_files(out)
    assert not list(small_disk.glob(".build-*"))
    filler.unlink()
    assert run(folder, out).returncode == 0


def test_a_disk_too_small_for_a_first_set_writes_nothing(tmp_path, small_disk):
    folder = make_issue(tmp_path, GOOD)
    out = small_disk / "o"
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "filler").write_bytes(b"\0" * (free - 20_000))
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", "screen",
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    line = exactly_one_error(proc.returncode, proc.stderr, f"{out}:0: no space left on the device")
    assert "nothing was written" in line
    assert not out.exists() and not list(small_disk.glob(".build-*"))
