"""The two PDFs laid out at the same time in two processes (build.py): the same bytes as one
after the other, and a failure in the second process is the build's failure."""
import subprocess
import sys

import pytest

from conftest import SMALL
from helpers import ROOT, make_issue
from pipeline import build as build_module


def test_two_processes_make_the_same_editions_as_one(tmp_path):
    folder = make_issue(tmp_path, SMALL)
    made = {}
    for mode in ("0", "1"):
        out = tmp_path / f"out-{mode}"
        proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--out", str(out)],
                              cwd=ROOT, capture_output=True, text=True,
                              env={**__import__("os").environ, build_module.PARALLEL_ENV: mode})
        assert proc.returncode == 0, proc.stderr
        assert ("in a second process" in proc.stderr) == (mode == "1" and build_module.cores() > 1)
        made[mode] = {p.name: p.read_bytes() for p in out.iterdir() if p.suffix in (".pdf", ".epub")}
    assert sorted(made["0"]) == ["test-01-print.pdf", "test-01.epub", "test-01.pdf"]
    assert made["0"] == made["1"]


def test_a_failure_laying_out_the_print_pdf_fails_the_build_and_publishes_nothing(tmp_path, monkeypatch):
    from pipeline.render import pdf

    def render(issue, edition, folder, target, **kw):
        if edition == "print":      # in the forked process
            raise RuntimeError("the print layout broke")
        target.write_bytes(b"%PDF-1.7\n")
        return {"pages": 1, "page_starts": {}, "text_lost": None}

    monkeypatch.setattr(pdf, "render_pdf", render)
    monkeypatch.setattr(build_module, "parallel", lambda: True)
    folder = make_issue(tmp_path, SMALL)
    with pytest.raises(RuntimeError, match="the print layout broke"):
        build_module.build(folder, tmp_path / "out", quiet=True)
    assert not (tmp_path / "out").exists()
