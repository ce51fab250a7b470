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
