"""`python -m pipeline check DIR` on damaged editions (issue 14, item 7): a cut or
overwritten PDF, an empty file, a zip bomb, a file that is not what its name says, a cut
report.json.  Each is one FAIL line naming that edition and saying why, never a traceback;
the other editions are still checked; exit 1.  No editions is bad input (exit 2).  Without
Java the EPUB's own structure is still checked, and EPUBCheck is a SKIP that says so."""
import shutil
import subprocess
import zipfile

import pytest

from pipeline import check, cli

PRINT, SCREEN, EPUB = "test-01-print.pdf", "test-01.pdf", "test-01.epub"
EDITION = {PRINT: "print", SCREEN: "screen", EPUB: "epub"}
NO_JAVA = "SKIP  epub: EPUBCheck  (not run: no Java runtime (java) on PATH)"


@pytest.fixture
def editions(small_editions, tmp_path):
    """A copy of the good editions of test-01 to damage."""
    return shutil.copytree(small_editions, tmp_path / "set")


@pytest.fixture
def no_java(monkeypatch):
    which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "java" else which(name, *a, **k))


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory):
    """An EPUB-looking ZIP whose one member is 2 GB of zeros (9 MB packed), written in chunks."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        with z.open("OEBPS/zeros.xhtml", "w", force_zip64=True) as f:
            chunk = bytes(1 << 20)
            for _ in range(2048):
                f.write(chunk)
    return path


def run(folder, capsys):
    """The command in this process, without Ace: (exit code, stdout lines, stderr)."""
    code = cli.main(["check", str(folder), "--no-ace"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in err, err
    return code, out.splitlines(), err


def only_this_fails(lines, edition, first):
    """Every FAIL names the damaged edition, the first one begins `FAIL  <first>`; the
    other editions were checked and passed; the summary counts them.  → the FAIL lines."""
    fails = [line for line in lines if line.startswith("FAIL")]
    assert fails, lines
    assert all(line.startswith(f"FAIL  {edition}: ") for line in fails), fails
    assert fails[0].startswith(f"FAIL  {first}"), fails[0]
    for other in {"print", "screen", "epub"} - {edition}:
        assert any(line.startswith(f"PASS  {other}: ") for line in lines), (other, lines)
    passed = sum(line.startswith("PASS") for line in lines)
    assert lines[-1].startswith(f"{passed} passed, {len(fails)} failed"), lines[-1]
    return fails


# ------------------------------------------------------------ the good set: the contract kept

def test_the_good_editions_pass(editions, capsys, no_java):
    code, lines, _ = run(editions, capsys)
    assert code == 0, lines
    assert not [line for line in lines if line.startswith("FAIL")]
    for name, edition in EDITION.items():
        assert f"PASS  {edition}: {name} is the file report.json records" in "\n".join(lines)
    assert any(line.startswith("PASS  epub: every XHTML document parses  (") for line in lines)
    assert NO_JAVA in lines           # EPUBCheck not run is said, not silent
    assert lines[-1].endswith(" failed, 1 skipped")


# ------------------------------------------------------------ damaged PDFs

def test_a_truncated_pdf(editions, capsys, no_java):
    data = (editions / PRINT).read_bytes()
    (editions / PRINT).write_bytes(data[:len(data) // 2])
    code, lines, _ = run(editions, capsys)
    assert code == 1
    fails = only_this_fails(lines, "print", f"print: {PRINT} is readable  (damaged PDF: ")
    assert len(fails) == 1               # one reason; the other print checks did not run
    assert not any(line.startswith("PASS  print: ") for line in lines)


def test_a_pdf_with_bytes_overwritten_in_the_middle(editions, capsys, no_java):
    data = bytearray((editions / SCREEN).read_bytes())
    middle = len(data) // 2
    data[middle:middle + 8] = b"\xff" * 8
    (editions / SCREEN).write_bytes(bytes(data))
    code, lines, _ = run(editions, capsys)
    assert code == 1
    fails = only_this_fails(lines, "screen", "screen: ")
    # whether pypdf notices or not, the SHA-256 that report.json records does not match
    assert any(f.startswith(f"FAIL  screen: {SCREEN} is the file report.json records  (SHA-256 ") for f in fails), fails


@pytest.mark.parametrize("name, reason", [
    (SCREEN, f"screen: {SCREEN} is readable  (not a PDF: the file is empty (0 bytes))"),
    (EPUB, f"epub: {EPUB} is readable  (not an EPUB (a ZIP archive): the file is empty (0 bytes))"),
])
def test_an_empty_file(editions, capsys, no_java, name, reason):
    (editions / name).write_bytes(b"")
    code, lines, _ = run(editions, capsys)
    assert code == 1
    assert len(only_this_fails(lines, EDITION[name], reason)) == 1


def test_a_zip_bomb_named_pdf(editions, capsys, no_java, zip_bomb):
    shutil.copyfile(zip_bomb, editions / PRINT)
    code, lines, _ = run(editions, capsys)
    assert code == 1
    fails = only_this_fails(lines, "print", f"print: {PRINT} is readable  (not a PDF: it starts as a ZIP archive)")
    assert len(fails) == 1


# ------------------------------------------------------------ damaged EPUBs

def test_a_zip_bomb_named_epub_is_refused_before_unpacking(editions, capsys, monkeypatch, zip_bomb):
    shutil.copyfile(zip_bomb, editions / EPUB)
    ran = []
    monkeypatch.setattr(check.subprocess, "run", lambda *a, **k: ran.append(a))   # EPUBCheck must not see it
    read = zipfile.ZipFile.read
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, name, *a: pytest.fail(f"unpacked {name}")
                        if str(getattr(name, "filename", name)).endswith("zeros.xhtml") else read(self, name, *a))
    code, lines, _ = run(editions, capsys)
    assert code == 1
    fails = only_this_fails(lines, "epub",
                            f"epub: {EPUB} is readable  (refused (zip bomb?): the members unpack to 2147 MB")
    assert len(fails) == 1
    assert f"SKIP  epub: EPUBCheck  (not run: {EPUB} did not open)" in lines
    assert not ran


@pytest.mark.parametrize("content, reason", [
    (b"this is not an EPUB\n" * 50, "(not an EPUB (a ZIP archive): it starts as b'this is '"),
    (None, "(not an EPUB (a ZIP archive): it starts as a PDF)"),
    ("cut", "(damaged ZIP: BadZipFile: "),
])
def test_an_epub_that_is_not_a_zip(editions, capsys, no_java, content, reason):
    data = (editions / EPUB).read_bytes()
    if content is None:
        content = (editions / SCREEN).read_bytes()
    elif content == "cut":
        content = data[:len(data) // 2]
    (editions / EPUB).write_bytes(content)
    code, lines, _ = run(editions, capsys)
    assert code == 1
    assert len(only_this_fails(lines, "epub", f"epub: {EPUB} is readable  {reason}")) == 1
    assert f"SKIP  epub: EPUBCheck  (not run: {EPUB} did not open)" in lines


def damage_inside(path):
    """The EPUB rewritten with `mimetype` compressed and one XHTML document not well-formed."""
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, b"<html><body><p>unclosed</body>" if name == "OEBPS/a01.xhtml" else data)


def test_without_java_a_corrupt_epub_still_fails(editions, capsys, no_java):
    damage_inside(editions / EPUB)
    code, lines, _ = run(editions, capsys)
    assert code == 1
    fails = only_this_fails(lines, "epub", "epub: mimetype first, stored, application/epub+zip  (mimetype is compressed, not stored)")
    assert any(f.startswith("FAIL  epub: every XHTML document parses  (OEBPS/a01.xhtml: ") for f in fails), fails
    assert NO_JAVA in lines
    assert lines[-1] != "0 passed, 0 failed"


def test_without_java_only_the_epub_s_structure_and_a_skip(no_java, editions, capsys):
    (editions / PRINT).unlink()
    (editions / SCREEN).unlink()
    damage_inside(editions / EPUB)
    code, lines, _ = run(editions, capsys)
    assert code == 1 and NO_JAVA in lines
    assert sum(line.startswith("FAIL  epub: ") for line in lines) >= 2


# ------------------------------------------------------------ EPUBCheck: a time and a memory limit

def test_epubcheck_runs_with_a_heap_limit_and_a_time_limit(editions, capsys, monkeypatch):
    calls = []

    def slow(cmd, **kwargs):
        calls.append((cmd, kwargs))
        raise subprocess.TimeoutExpired(cmd, kwargs["timeout"])
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: "/usr/bin/java")
    monkeypatch.setattr(check.subprocess, "run", slow)
    code, lines, _ = run(editions, capsys)
    assert code == 1
    fails = [line for line in lines if line.startswith("FAIL")]
    assert fails == ["FAIL  epub: EPUBCheck 0 errors 0 warnings  (EPUBCheck did not finish in 120 s)"]
    (cmd, kwargs), = calls
    assert cmd[0] == "/usr/bin/java" and "-Xmx1g" in cmd and kwargs["timeout"] == 120


@pytest.mark.slow   # runs Java
@pytest.mark.skipif(not shutil.which("java"), reason="no Java runtime")
def test_epubcheck_that_does_not_finish_is_a_fail(editions, capsys, monkeypatch):
    monkeypatch.setattr(check, "EPUBCHECK_TIMEOUT", 0.05)
    code, lines, _ = run(editions, capsys)
    assert code == 1
    assert "FAIL  epub: EPUBCheck 0 errors 0 warnings  (EPUBCheck did not finish in 0.05 s)" in lines


@pytest.mark.slow   # runs Java
@pytest.mark.skipif(not shutil.which("java"), reason="no Java runtime")
def test_with_java_a_corrupt_epub_fails_epubcheck_too(editions, capsys):
    damage_inside(editions / EPUB)
    code, lines, _ = run(editions, capsys)
    assert code == 1
    assert any(line.startswith("FAIL  epub: EPUBCheck 0 errors 0 warnings  (") for line in lines), lines
    assert any(line.startswith("PASS  print: ") for line in lines)


# ------------------------------------------------------------ report.json

@pytest.mark.parametrize("damage, reason", [
    ("cut", "is readable  (not the build's report: JSONDecodeError: "),
    ("[]", "is readable  (not the build's report: no editions with their SHA-256, or no sections of articles)"),
    ('{"editions": {"test-01.pdf": 1}, "structure": {"sections": []}}',
     "is readable  (not the build's report: no editions with their SHA-256"),
    (b"\xff\xfe{", "is readable  (not the build's report: UnicodeDecodeError: "),
])
def test_a_damaged_report(editions, capsys, no_java, damage, reason):
    report = editions / "report.json"
    if damage == "cut":
        report.write_bytes(report.read_bytes()[:500])
    else:
        report.write_bytes(damage if isinstance(damage, bytes) else damage.encode())
    code, lines, _ = run(editions, capsys)
    assert code == 1
    assert len(only_this_fails(lines, "report", f"report: report.json {reason}")) == 1
    assert ("SKIP  screen: each contents link lands on the page printing the title  "
            "(not checked: no usable report.json)") in lines


# ------------------------------------------------------------ bad input: exit 2, one line

@pytest.mark.parametrize("make, says", [
    (lambda d: d, "no such folder"),
    (lambda d: (d.write_text("x"), d)[1], "not a folder"),
    (lambda d: (d.mkdir(), (d / "notes.txt").write_text("x"), d)[2], "no editions in it"),
])
def test_no_editions_is_bad_input(tmp_path, capsys, make, says):
    folder = make(tmp_path / "dir")
    code = cli.main(["check", str(folder), "--no-ace"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {folder}:0: {says}"), err
