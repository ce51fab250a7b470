"""The console command `editions` (pyproject.toml [project.scripts]) and its options."""
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import SMALL
from helpers import ROOT, make_issue

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
COMMAND = Path(sys.executable).parent / "editions"


@pytest.mark.skipif(not COMMAND.exists(), reason="the package is not installed in this Python (make setup)")
def test_the_console_command_is_installed_and_says_its_version():
    proc = subprocess.run([str(COMMAND), "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == f"editions {VERSION}"
    proc = subprocess.run([str(COMMAND), "build", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("usage: editions build")


def test_python_m_pipeline_says_the_same_version():
    proc = subprocess.run([sys.executable, "-m", "pipeline", "--version"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == f"python -m pipeline {VERSION}"


def test_formats_pdf_is_both_pdfs_and_the_stages_are_named_before_they_run(tmp_path):
    folder = make_issue(tmp_path, SMALL)
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--out", str(tmp_path / "out"),
                           "--formats", "pdf"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "report.html", "report.json", "test-01-print.pdf", "test-01.pdf"]
    said = proc.stderr.splitlines()
    start = next(k for k, line in enumerate(said) if "laying out the screen PDF" in line)
    done = next(k for k, line in enumerate(said) if line.strip().startswith("screen pdf"))
    assert start < done


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_names_each_warning_at_its_source_line_and_counts_the_changes(tmp_path, where):
    folder = make_issue(tmp_path, SMALL.replace("性能提升一倍。", "性能提升一倍，采用 AI 架构。"))
    raw = (folder / "raw.md").read_text(encoding="utf-8").splitlines()
    build = ["build", str(folder), "--out", str(tmp_path / "out"), "--formats", "epub"]
    argv = ["--verbose", *build] if where == "before" else [*build, "-v"]
    proc = subprocess.run([sys.executable, "-m", "pipeline", *argv], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    said = proc.stderr.splitlines()
    # the small issue has no PDF in this build: that warning has no place; the counts name rules
    assert "  warning epub: -: no PDF was laid out in this build, so the EPUB has no page-list" in said
    counts = {line.split("×", 1)[1].strip(): int(line.split("×")[0]) for line in said if "×" in line}
    assert counts.get("han_latin_spacing") == 1      # 采用 AI 架构: both typed spaces out, one change of the paragraph
    for line in said:
        if line.startswith("  warning ") and ": raw.md:" in line:
            number = int(line.split(": raw.md:", 1)[1].split(":")[0].split("-")[0])
            assert 1 <= number <= len(raw)


def test_quiet_says_no_stage_and_excludes_verbose(tmp_path):
    folder = make_issue(tmp_path, SMALL)
    build = ["build", str(folder), "--out", str(tmp_path / "out"), "--formats", "epub"]
    quiet = subprocess.run([sys.executable, "-m", "pipeline", "-q", *build], cwd=ROOT, capture_output=True, text=True)
    loud = subprocess.run([sys.executable, "-m", "pipeline", *build], cwd=ROOT, capture_output=True, text=True)
    assert quiet.returncode == loud.returncode == 0
    assert any(line.strip().startswith("epub ") for line in loud.stderr.splitlines())
    assert not any(line.strip().startswith("epub ") for line in quiet.stderr.splitlines())
    both = subprocess.run([sys.executable, "-m", "pipeline", "-q", *build, "--verbose"], cwd=ROOT,
                          capture_output=True, text=True)
    assert both.returncode == 2 and both.stderr.startswith("error: --quiet:1:")
