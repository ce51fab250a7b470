"""`editions serve`: a preview server on localhost, fetched for real, rebuilt on a change."""
import re
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import SMALL
from helpers import ROOT, make_issue


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
        return r.read().decode("utf-8")


def wait_for(check, seconds=120):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            found = check()
            if found:
                return found
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("waited in vain")


def test_the_preview_serves_the_issue_and_serves_it_again_changed(tmp_path):
    folder = make_issue(tmp_path, SMALL)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", str(folder), "--port", str(port),
                               "--out", str(tmp_path / "out")], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        # the whole set built: the PDF and the contact sheet are listed
        index = wait_for(lambda: (lambda page: "preview.png" in page and page)(fetch(port, "/")))
        assert "test-01.pdf" in index and "report.html" in index and "全部版本已生成" in index   # in the issue's language
        assert 'href="/out/report.html#warnings"' in index and "甲公司发布新品" in index   # chapters by title
        chapter = re.search(r'href="(/epub/a01\.xhtml)"', index).group(1)
        assert "性能提升一倍" in fetch(port, chapter) and "/version" in fetch(port, chapter)   # it reloads itself
        version = fetch(port, "/version")
        line = next(n for n, text in enumerate(SMALL.split("\n"), 1) if "性能提升一倍" in text)
        (folder / "fixes.toml").write_text(f'[[fix]]\nlines = "{line}"\nexpect = "一倍"\naction = "replace"\n'
                                           f'text = "两倍"\n', encoding="utf-8")
        wait_for(lambda: fetch(port, "/version") != version)      # the EPUB first, in a second or two
        assert "性能提升两倍" in fetch(port, chapter)
        assert "<ins>两</ins>" in fetch(port, "/out/report.html")      # the report shows the change
        # bad input: shown on the page, the last good editions still served
        (folder / "fixes.toml").write_text("[[fix]]\nlines = \"x\"\n", encoding="utf-8")
        wait_for(lambda: "error: " in fetch(port, "/"))
        assert "性能提升两倍" in fetch(port, chapter)
        assert server.poll() is None          # the server keeps going after bad input
    finally:
        server.terminate()
        server.wait(timeout=20)
