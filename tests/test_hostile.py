"""Hostile input: markup in a source never reaches outside the build.  The
editions show it as harmless text or not at all; WeasyPrint opens nothing
outside styles/, the issue folder and the colour profiles; the EPUB has no
script and no remote resource."""
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from helpers import make_issue
from pipeline.build import make_model
from pipeline.render.epub import write_epub
from pipeline.render.pdf import ICC_DIRS, STYLES, ClosedFetcher, render_pdf

pytestmark = pytest.mark.slow   # builds the editions of a hostile issue

HOSTILE = """<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY boom "&boom;&boom;">]>
# 新闻

这是一段正文，后面是攻击：&xxe; 和 &boom;。

正文里还有标签 <script>alert("x")</script> 这样的攻击。

<iframe src="http://evil.example/"></iframe>

<object data="file:///etc/passwd"></object>

<img src="file:///etc/passwd" alt="x"/>

<link rel="stylesheet" href="http://evil.example/x.css"/>

<style>@import url("http://evil.example/y.css"); body { background: url(file:///etc/passwd) }</style>

点这里[链接](javascript:alert(1))，或者<a href="javascript:alert(2)">这里</a>，还有<b onclick="alert(3)">粗体</b>。

<svg onload="alert(4)"><image href="http://evil.example/z.png"/></svg>
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    folder = make_issue(tmp, HOSTILE)
    issue, log, src = make_model(folder)
    return tmp, folder, issue


def test_weasyprint_opens_nothing_outside_the_closed_world(hostile):
    tmp, folder, issue = hostile
    fetcher = ClosedFetcher([STYLES, folder, *ICC_DIRS])
    render_pdf(issue, "screen", folder, tmp / "x.pdf", fetcher=fetcher)
    allowed = [Path(STYLES).resolve(), folder.resolve(), *[Path(d).resolve() for d in ICC_DIRS]]
    assert fetcher.served, "the style sheet itself is fetched through the fetcher"
    for path in fetcher.served:
        assert any(Path(path).is_relative_to(a) for a in allowed), path
    assert fetcher.refused == []    # nothing hostile was even asked for: it reached WeasyPrint as text
    text = (tmp / "x.pdf").read_bytes()
    assert b"/URI" not in text and b"/JavaScript" not in text and b"/JS " not in text


def test_epub_has_no_script_no_remote_resource_and_shows_the_markup_as_text(hostile):
    tmp, folder, issue = hostile
    write_epub(issue, tmp / "x.epub")
    with zipfile.ZipFile(tmp / "x.epub") as z:
        docs = {n: z.read(n) for n in z.namelist() if n.endswith((".xhtml", ".opf", ".css"))}
    for name, data in docs.items():
        if name.endswith(".xhtml"):
            assert b"<!ENTITY" not in data and b"[<!" not in data   # only our own <!DOCTYPE html>
            tree = etree.fromstring(data)
            for tag in ("script", "iframe", "object", "embed", "img", "link", "style", "svg"):
                found = tree.xpath(f"//*[local-name()='{tag}']")
                # the generated cover image and the EPUB's own style sheet link are ours
                assert all(el.get("src", "").startswith("images/") or el.get("href", "").startswith("css/")
                           for el in found), (name, tag)
            for el in tree.iter():
                for attr, value in el.attrib.items():
                    assert not attr.lower().startswith("on"), (name, attr)
                    assert not re.match(r"\s*(javascript|https?|file):", value, re.I), (name, attr, value)
        assert b"evil.example" not in data or name.endswith(".xhtml")
    text = etree.fromstring(docs["OEBPS/a01.xhtml"]).xpath("string()")
    assert '<script>alert("x")</script>' in text          # shown as text, harmlessly
    assert "root:x:0:0" not in text and "&boom;" in text   # entities are text, not expanded
