"""`editions new`: a new issue folder from the extractor's output (pipeline/new.py)."""
import subprocess
import sys
import tomllib

import pytest

from helpers import ISSUE, ROOT

RAW = ISSUE / "raw.md"


def new(*args, cwd):
    return subprocess.run([sys.executable, "-m", "pipeline", "new", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_new_makes_an_issue_folder_that_builds_with_its_guesses_marked(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "magazine.toml").write_bytes((ROOT / "sources" / "magazine.toml").read_bytes())
    images = tmp_path / "images"
    images.mkdir()
    (images / "a.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    proc = new("sources/2025-09", "--raw", RAW, "--images", images, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "sources" / "2025-09"
    assert (folder / "raw.md").read_bytes() == RAW.read_bytes()
    assert (folder / "images" / "a.jpg").read_bytes() == (images / "a.jpg").read_bytes()
    text = (folder / "issue.toml").read_text(encoding="utf-8")
    meta = tomllib.loads(text)
    assert meta["id"] == "2025-09" and meta["title"] == "天堂之芯" and meta["language"] == "zh-CN"
    # the raw issue names no issue date; by hand: it reports July 2025 and is the August issue
    assert meta["date"] in ("2025-07", "2025-08")
    assert meta["identifier"].startswith("urn:uuid:") and meta["identifier"] != tomllib.loads(
        (ISSUE / "issue.toml").read_text(encoding="utf-8"))["identifier"]
    lines = text.splitlines()
    for key in ("language", "date"):     # each guess stands under a CONFIRM line
        k = next(i for i, line in enumerate(lines) if line.startswith(f"{key} ="))
        assert lines[k - 1].startswith("# CONFIRM")
    assert tomllib.loads((folder / "fixes.toml").read_text(encoding="utf-8")) == {}   # all comments
    build = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", "epub",
                            "--out", str(tmp_path / "out"), "--quiet"], cwd=ROOT, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "out" / "2025-09.epub").stat().st_size > 10000


def test_two_new_issues_get_two_identifiers(tmp_path):
    for name in ("a", "b"):
        assert new(f"sources/{name}", "--raw", RAW, cwd=tmp_path).returncode == 0
    ids = {tomllib.loads((tmp_path / "sources" / n / "issue.toml").read_text(encoding="utf-8"))["identifier"]
           for n in ("a", "b")}
    assert len(ids) == 2


@pytest.mark.parametrize("case", ["exists", "no raw", "empty raw", "binary raw", "not a name"])
def test_what_new_cannot_do_is_one_line_and_exit_2_with_nothing_written(tmp_path, case):
    sources = tmp_path / "sources"
    sources.mkdir()
    raw, folder = RAW, "sources/2025-09"
    if case == "exists":
        (sources / "2025-09").mkdir()
    elif case == "no raw":
        raw = tmp_path / "missing.md"
    elif case == "empty raw":
        raw = tmp_path / "empty.md"
        raw.write_bytes(b"")
    elif case == "binary raw":
        raw = tmp_path / "x.md"
        raw.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    else:
        folder = "sources/.."
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    proc = new(folder, "--raw", raw, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("error: "), proc.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
