"""The subscriber EPUB: embedded font subsets (--embed-fonts), what DAISY Ace asks of the
documents, and Ace itself when it is installed (`make ace`; never needed by `make test`)."""
import copy
import io
import re
import subprocess
import sys
import zipfile

import pytest
from lxml import etree

from helpers import ISSUE, ROOT
from pipeline.check import ace_available, check_ace, check_epub
from pipeline.model import Heading
from pipeline.render.epub import epub_parts, mark_pages
from pipeline.render.xhtml import EPUB_NS, XHTML

FONT_BUDGET = 2_500_000   # bytes, all embedded faces together
NS = {"x": XHTML, "e": EPUB_NS}


def build(out, *extra):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(ISSUE), "--out", str(out), "--quiet",
                           *extra], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return out / "2025-08.epub"


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    return build(tmp_path_factory.mktemp("plain"), "--formats", "epub")


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    return build(tmp_path_factory.mktemp("fonts"), "--formats", "epub", "--embed-fonts")


def entries(epub):
    with zipfile.ZipFile(epub) as z:
        return {n: z.read(n) for n in z.namelist()}


# --- embedded fonts -------------------------------------------------------------------------------

@pytest.mark.slow
def test_embedded_fonts_pass_epubcheck(embedded):
    results = check_epub(embedded)
    assert [ok for _, ok, _ in results] == [True], results


@pytest.mark.slow
def test_embedded_fonts_are_woff2_subsets_within_budget(embedded):
    files = entries(embedded)
    fonts = {n: d for n, d in files.items() if n.startswith("OEBPS/fonts/")}
    names = " ".join(fonts)
    assert "NotoSerifCJK-Regular" in names and "NotoSansCJK-Regular" in names
    assert all(d[:4] == b"wOF2" for d in fonts.values())
    assert sum(map(len, fonts.values())) <= FONT_BUDGET, {n: len(d) for n, d in fonts.items()}
    css = files["OEBPS/css/fonts.css"].decode()
    assert css.count("@font-face") == len(fonts)
    opf = files["OEBPS/content.opf"].decode()
    assert opf.count('media-type="font/woff2"') == len(fonts)
    for name, data in files.items():
        if name.endswith(".xhtml"):
            assert b'href="css/fonts.css"' in data, name


@pytest.mark.slow
def test_each_face_holds_every_character_of_the_book(embedded):
    from fontTools.ttLib import TTFont
    files = entries(embedded)
    text = "".join(etree.fromstring(d).find(f"{{{XHTML}}}body").xpath("string()")
                   for n, d in files.items() if n.endswith(".xhtml"))
    chars = {c for c in text if not c.isspace()}
    assert len([c for c in chars if "\u4e00" <= c <= "\u9fff"]) > 1000   # the body text
    for name, data in files.items():
        if name.startswith("OEBPS/fonts/"):
            cmap = TTFont(io.BytesIO(data)).getBestCmap()
            assert not [c for c in chars if ord(c) not in cmap], name


@pytest.mark.slow
def test_without_the_flag_nothing_but_the_fonts_differs(plain, embedded):
    a, b = entries(plain), entries(embedded)
    assert not [n for n in a if "fonts" in n or n.endswith((".woff2", ".otf", ".ttf"))]
    assert b"@font-face" not in b"".join(a.values())
    extra = sorted(set(b) - set(a))
    assert extra == ["OEBPS/css/fonts.css"] + sorted(n for n in b if n.startswith("OEBPS/fonts/"))
    link = b'<link rel="stylesheet" type="text/css" href="css/fonts.css"/>'
    for name, data in a.items():
        other = b[name]
        if name.endswith(".xhtml"):
            other = other.replace(link, b"")
        elif name.endswith(".opf"):
            other = re.sub(rb'\s*<item [^>]*id="(css-fonts|font-\d+)"[^>]*/>', b"", other)
        assert data == other, name


# --- what Ace asks of the documents ---------------------------------------------------------------

def test_the_writer_only_writes_the_heading_levels_and_header_cells_it_is_given(model_2025_08):
    """Structure levels the headings and tables mark the header cells; the EPUB
    shows exactly that, one level up (the article title is the document's h1)."""
    issue = model_2025_08[0]
    parts = {name: body for name, _, body, _ in epub_parts(issue)}
    for a in issue.articles:
        body = parts[f"{a.id}.xhtml"]
        levels = [int(etree.QName(h).localname[1]) for h in body.iter(*(f"{{{XHTML}}}h{n}" for n in range(1, 7)))]
        wanted = [1] + [b.level - 1 for b in a.blocks if isinstance(b, Heading)]
        assert levels == wanted, a.title
        assert all(after - before <= 1 for before, after in zip(levels, levels[1:])), a.title
        cells = [(etree.QName(cell).localname, "".join(cell.itertext()).strip())
                 for head in body.iter(f"{{{XHTML}}}thead") for cell in head.iter(f"{{{XHTML}}}th", f"{{{XHTML}}}td")]
        assert all(text for tag, text in cells if tag == "th"), a.title


def test_a_table_that_scrolls_on_a_phone_can_be_scrolled_from_the_keyboard(model_2025_08):
    from pipeline.render.epub import scrollable_tables
    parts = epub_parts(model_2025_08[0])
    scrollable_tables(parts)
    wraps = [el for _, _, b, _ in parts for el in b.iter(f"{{{XHTML}}}div") if "table-wrap" in el.get("class", "")]
    assert len(wraps) > 10
    assert all(w.get("tabindex") == "0" for w in wraps)
    named = [w for w in wraps if w.find(f"{{{XHTML}}}table/{{{XHTML}}}caption") is not None]
    assert named
    for w in named:      # named by its caption, which it points at
        caption = w.find(f"{{{XHTML}}}table/{{{XHTML}}}caption")
        assert w.get("role") == "region" and w.get("aria-labelledby") == caption.get("id")


def test_page_list_entries_lead_to_page_break_markers_in_order(model_2025_08):
    issue = copy.deepcopy(model_2025_08[0])
    first, second = issue.articles[0], issue.articles[1]
    parts = epub_parts(issue)
    body = {name: b for name, _, b, _ in parts}[f"{first.id}.xhtml"]
    p = body.xpath(".//x:p[@id]", namespaces=NS)[1]
    lists = [el for _, _, b, _ in parts for el in b.xpath(".//x:ol[@id]|.//x:ul[@id]|.//x:table[@id]",
                                                             namespaces=NS)]
    page_starts = {1: ["no-such-id"], 2: [first.id], 3: [p.get("id")], 4: [lists[0].get("id")],
                   5: [second.id]}
    pages = mark_pages(page_starts, parts)
    # page 1 has nothing in the EPUB: it leads where page 2 begins, and both markers precede it
    assert [n for n, _ in pages] == ["1", "2", "3", "4", "5"]
    where = {}
    for name, _, b, _ in parts:
        for el in b.iter(f"{{{XHTML}}}span"):
            if el.get(f"{{{EPUB_NS}}}type") == "pagebreak":
                assert el.get("role") == "doc-pagebreak" and el.get("aria-label")
                where[el.get("id")] = (name, el)
    for number, href in pages:
        name, frag = href.split("#")
        assert where[frag][0] == name and where[frag][1].get("aria-label") == number
    article = where["page-1"][1].getparent()
    assert article.get("id") == first.id and [m.get("id") for m in article[:2]] == ["page-1", "page-2"]
    assert where["page-3"][1].getparent() is p and p.index(where["page-3"][1]) == 0 and p.text is None
    nxt = where["page-4"][1].getnext()   # just before the list, or the table's wrapper
    assert nxt is lists[0] or lists[0] in nxt.iter()


# --- DAISY Ace (only where `make ace` installed it) -----------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(not ace_available(), reason="DAISY Ace not installed (make ace) or no Chromium")
def test_ace_reports_no_violations(tmp_path_factory):
    # with the print edition laid out, so that the page-list and page-break markers are there
    epub = build(tmp_path_factory.mktemp("ace"), "--formats", "print,epub")
    results = check_ace(epub)
    assert [ok for _, ok, _ in results] == [True], results


def test_the_epub_cover_is_the_cover_page_of_the_pdfs(small_editions, tmp_path):
    """No cover picture in issue.toml: the EPUB's cover is the PDFs' first page as a picture,
    pixel for pixel what poppler draws of the screen PDF's page 1 (same size, nearly the same ink)."""
    import subprocess
    import zipfile

    from PIL import Image, ImageChops
    with zipfile.ZipFile(small_editions / "test-01.epub") as z:
        (tmp_path / "epub-cover.png").write_bytes(z.read("OEBPS/images/cover.png"))
    subprocess.run(["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to-x", "1400",
                    "-scale-to-y", "-1", str(small_editions / "test-01.pdf"), str(tmp_path / "page")], check=True)
    epub, page = (Image.open(tmp_path / n).convert("RGB") for n in ("epub-cover.png", "page.png"))
    assert epub.size == page.size == (1400, 1900)
    diff = ImageChops.difference(epub, page).convert("L").point(lambda v: 255 if v > 40 else 0)
    assert sum(diff.histogram()[255:]) < 0.002 * 1400 * 1900     # the same text in the same places
    # and it is the cover: mostly the cover's colour, with the masthead's white on it
    colours = epub.getcolors(1 << 20)
    assert max(colours)[1] == (11, 79, 138)


@pytest.mark.parametrize("written", ['"2025-09-03"', "2025-09-03"])   # a text or a TOML date
def test_a_release_day_in_issue_toml_is_the_epubs_modified_date(tmp_path, written):
    import re
    import subprocess
    import sys
    import zipfile

    from conftest import SMALL
    from helpers import ROOT, make_issue
    folder = make_issue(tmp_path, SMALL)
    with open(folder / "issue.toml", "a", encoding="utf-8") as f:
        f.write(f"modified = {written}\n")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", "epub",
                           "--out", str(out), "--quiet"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    opf = zipfile.ZipFile(out / "test-01.epub").read("OEBPS/content.opf").decode("utf-8")
    assert re.search(r'<meta property="dcterms:modified">([^<]+)<', opf).group(1) == "2025-09-03T00:00:00Z"


def test_a_release_day_that_is_no_day_is_bad_input(tmp_path):
    from conftest import SMALL
    from helpers import bad_input_line, make_issue
    folder = make_issue(tmp_path, SMALL)
    with open(folder / "issue.toml", "a", encoding="utf-8") as f:
        f.write('modified = "2025-13-01"\n')
    line = bad_input_line(folder, tmp_path / "out")
    assert line.endswith("issue.toml:8: modified '2025-13-01' is not a day written YYYY-MM-DD, e.g. \"2025-09-03\""), line


def stamp(opf) -> tuple:
    """dcterms:modified of a package document, as a zip entry's date."""
    import time
    text = opf.find("{*}metadata/{*}meta[@property='dcterms:modified']").text
    return tuple(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))[:6]


def test_the_package_is_ebooklibs_with_the_two_gaps_closed(plain):
    """ebooklib writes the package; the post-step gives the OPF package its xml:lang and every zip
    entry the issue's date, so that rebuilding gives the same bytes."""
    with zipfile.ZipFile(plain) as z:
        infos = z.infolist()
        opf = etree.fromstring(z.read("OEBPS/content.opf"))
        ncx = etree.fromstring(z.read("OEBPS/toc.ncx"))
        nav = etree.fromstring(z.read("OEBPS/nav.xhtml"))
    assert opf.find("{*}metadata/{*}meta[@name='generator']").get("content").startswith("Ebook-lib")
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    dates = {i.date_time for i in infos}
    assert len(dates) == 1 and dates == {stamp(opf)}
    # the NCX, for EPUB 2 reading systems, leads to the same documents as the nav's contents, in order
    ncx_targets = [c.get("src") for c in ncx.iter("{*}content")]
    toc = nav.find(".//{*}nav[@id='toc']")
    nav_targets = [a.get("href") for a in toc.iter("{http://www.w3.org/1999/xhtml}a")]
    assert ncx_targets == nav_targets and len(nav_targets) > 36


def test_without_a_release_day_the_date_is_the_sources_last_commit(tmp_path):
    """A corrected issue, committed, is dated by that commit: reading apps see a new version, and
    every clone of the history builds the same bytes; outside git it is the issue's month."""
    from conftest import SMALL
    from helpers import ROOT, make_issue
    folder = make_issue(tmp_path, SMALL)

    def built():
        out = tmp_path / "out"
        proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", "epub",
                               "--out", str(out), "--quiet"], cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        opf = zipfile.ZipFile(out / "test-01.epub").read("OEBPS/content.opf").decode("utf-8")
        return re.search(r'<meta property="dcterms:modified">([^<]+)<', opf).group(1)
    assert built() == "2025-09-01T00:00:00Z"            # not in git: the issue's month (date = 2025-09)

    def git(*args, when):
        env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "e",
               "GIT_AUTHOR_EMAIL": "e@x", "GIT_COMMITTER_NAME": "e", "GIT_COMMITTER_EMAIL": "e@x",
               "PATH": "/usr/bin:/bin"}
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True, env=env)
    git("init", "-q", when="2025-09-05T08:00:00Z")
    git("add", ".", when="2025-09-05T08:00:00Z")
    git("commit", "-qm", "the issue", when="2025-09-05T08:00:00Z")
    assert built() == "2025-09-05T08:00:00Z"
    (folder / "fixes.toml").write_text("# a correction\n", encoding="utf-8")
    git("add", ".", when="2025-10-02T12:30:00Z")
    git("commit", "-qm", "corrected", when="2025-10-02T12:30:00Z")
    assert built() == "2025-10-02T12:30:00Z"
    with open(folder / "issue.toml", "a", encoding="utf-8") as f:   # a release day given wins
        f.write("modified = 2025-10-01\n")
    assert built() == "2025-10-01T00:00:00Z"
