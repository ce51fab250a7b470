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


def _draw_in(send):
    """In a daemon process (as the print PDF's): draw formulas enough for workers elsewhere."""
    from pipeline.render import math
    try:
        math.draw_all([f"x^{{{k}}} + {k}" for k in range(120)])
        send.send(len([t for t in math._SVG if t.startswith("x^")]))
    except Exception as err:      # noqa: BLE001 -- what went wrong, to the test
        send.send(repr(err))


def test_formulas_are_drawn_in_the_print_pdfs_process_without_workers_of_its_own():
    """A daemon process may not start workers (math-2-6, 377 formulas, failed so): it draws them
    itself."""
    import multiprocessing
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_draw_in, args=(send,), daemon=True)
    process.start()
    assert receive.recv() == 120
    process.join()


def test_a_booklet_of_formulas_builds_both_pdfs_at_once(tmp_path, monkeypatch):
    """The formulas are drawn before the print PDF's process is forked: it finds them drawn."""
    from pipeline.render import math
    body = "\n\n".join(f"第{k}题：化简 $\\frac{{x^{{{k}}}}}{{\\sqrt{{{k} + y}}}}$。" for k in range(1, 121))
    folder = make_issue(tmp_path, SMALL.replace("性能提升一倍。", "性能提升一倍。\n\n" + body))
    monkeypatch.setattr(build_module, "parallel", lambda: True)
    drawn = []
    original = math.draw_all
    monkeypatch.setattr(math, "draw_all", lambda texs: (drawn.append(list(texs)), original(drawn[-1]))[1])

    class Forked(build_module._Forked):
        def __init__(self, *args):
            drawn.append("fork")
            super().__init__(*args)
    monkeypatch.setattr(build_module, "_Forked", Forked)
    result = build_module.build(folder, tmp_path / "out", formats=["screen", "print"], quiet=True)
    assert result.pages["print"] >= 2
    assert len(set(drawn[0])) == 120 and drawn[1] == "fork"     # all drawn at once, before the fork
