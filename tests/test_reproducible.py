"""The same source gives the same bytes: the print shop can check what it got."""
import hashlib
import subprocess
import sys

from helpers import ROOT, make_issue
import pytest

pytestmark = pytest.mark.slow   # builds editions twice

RAW = ("# 天堂之芯\n\n# 目录\n\n### • 芯动态\n\n- ▲甲公司发布新品 — 01\n\n"
       "## 甲公司发布新品\n\n甲公司今天发布了新品，性能提升一倍，售价 2,999 元。\n\n"
       "公司\t营收\t份额\n甲\t10\t5%\n乙\t20\t10%\n\n（来源：芯东西）\n")


def digests(folder, out, env=None):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    printed = {line.split()[2]: line.split()[1] for line in proc.stderr.splitlines()
               if line.strip().startswith("sha256 ")}
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()
             if p.suffix in (".pdf", ".epub")}
    assert printed == files        # the build prints the SHA-256 of each edition
    return files


def test_two_builds_give_byte_identical_editions(tmp_path):
    import os
    folder = make_issue(tmp_path, RAW)
    first = digests(folder, tmp_path / "a")
    second = digests(folder, tmp_path / "b")
    assert len(first) == 3 and first == second
    # SOURCE_DATE_EPOCH sets the EPUB's dcterms:modified and zip times: other bytes
    env = dict(os.environ, SOURCE_DATE_EPOCH="1754006400")
    third = digests(folder, tmp_path / "c", env)
    assert third["test-01.epub"] != first["test-01.epub"]
    assert third == digests(folder, tmp_path / "d", env)
