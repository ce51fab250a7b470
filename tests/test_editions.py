"""End to end: the three editions of 2025-08, built into a temporary folder and checked."""
import json
import subprocess
import sys
import zipfile

import pytest
from pypdf import PdfReader

from helpers import ISSUE, ROOT
from pipeline.check import check_epub, check_print_pdf, check_screen_pdf

pytestmark = pytest.mark.slow   # builds all editions of 2025-08 and checks them (subprocesses, PDF layout)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(ISSUE), "--out", str(out), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return out


def failures(results):
    return [(n, d) for n, ok, d in results if ok is False]


def test_files_and_report(built):
    names = sorted(p.name for p in built.iterdir())
    assert names == ["2025-08-print.pdf", "2025-08.epub", "2025-08.pdf", "report.html", "report.json"]
    report = json.loads((built / "report.json").read_text(encoding="utf-8"))
    assert report["han_accounting"]["missing_count"] == 0, report["han_accounting"]["missing"]
    # the print edition pads to whole sheets of four with blank pages; the reader's PDF does not
    assert report["pages"]["print"] % 4 == 0 and 0 <= report["pages"]["print"] - report["pages"]["screen"] < 4


def test_print_pdf_is_press_ready(built):
    assert failures(check_print_pdf(built / "2025-08-print.pdf")) == []


def test_screen_pdf_links_bookmarks_fonts(built):
    report = json.loads((built / "report.json").read_text(encoding="utf-8"))
    results = check_screen_pdf(built / "2025-08.pdf", report)
    assert failures(results) == []
    assert any("lands on the page" in n and ok for n, ok, _ in results)


def test_epubcheck_clean(built):
    results = check_epub(built / "2025-08.epub")
    assert [ok for _, ok, _ in results] == [True], results


def test_epub_has_one_document_per_article_and_a_nav(built):
    with zipfile.ZipFile(built / "2025-08.epub") as z:
        names = z.namelist()
        assert names[0] == "mimetype"
        articles = [n for n in names if n.startswith("OEBPS/a") and n.endswith(".xhtml")]
        assert len(articles) == 36
        nav = z.read("OEBPS/nav.xhtml").decode()
        assert 'epub:type="toc"' in nav and 'epub:type="landmarks"' in nav
        opf = z.read("OEBPS/content.opf").decode()
        assert 'xml:lang="zh-CN"' in opf and "dcterms:modified" in opf


def test_no_markup_characters_reach_readers(built):
    text = "".join(PdfReader(str(built / "2025-08.pdf")).pages[k].extract_text() for k in range(10, 40))
    for junk in ("<b>", "</u>", "<sup>", "**", "\\_", "$\\mu", "\t"):
        assert junk not in text


def test_bad_input_exits_2_with_one_line(tmp_path):
    from helpers import make_issue
    folder = make_issue(tmp_path, b"")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--out", str(tmp_path / "o")],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "raw.md:1:" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "o" / "test-01.pdf").exists()


def test_unknown_edition_exits_2(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(ISSUE), "--formats", "mobi",
                           "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.startswith("error: ")


def test_missing_required_field_names_the_file(tmp_path):
    from helpers import make_issue
    folder = make_issue(tmp_path, "# 标题\n\n正文。\n", issue_toml='id = "x"\ntitle = "天堂之芯"\n')
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "issue.toml:" in proc.stderr and "subtitle" in proc.stderr


def test_fetcher_serves_only_the_closed_world(tmp_path):
    from pipeline.render.pdf import STYLES, ClosedFetcher
    f = ClosedFetcher([STYLES, tmp_path])
    assert f.fetch((STYLES / "common.css").as_uri()).read().startswith(b"/*")
    for url in ("file:///etc/passwd", "http://example.com/x.css", (STYLES / ".." / "README.md").resolve().as_uri()):
        with pytest.raises(ValueError):
            f.fetch(url)
    assert len(f.refused) == 3


CORPUS = ROOT.parent / "shared" / "corpus" / "research-report-raw.md"


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus not beside the checkout")
def test_other_extractors_output_builds_with_a_warning(tmp_path):
    from helpers import make_issue
    folder = make_issue(tmp_path, CORPUS.read_bytes())
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", "epub",
                           "--out", str(tmp_path / "o"), "--quiet"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    assert any(w["rule"] == "structure.contents" for w in report["warnings"])
    assert report["han_accounting"]["missing_count"] == 0
    with zipfile.ZipFile(tmp_path / "o" / "test-01.epub") as z:
        text = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    assert "<td>7.18</td>" in text or ">7.18<" in text          # the HTML table is a table
    assert "$" not in text and "\\%" not in text


def _epub_text(path):
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in sorted(z.namelist()) if n.endswith(".xhtml"))


def test_an_editors_fix_visibly_changes_the_editions(tmp_path):
    from helpers import make_issue
    raw = ("# 新闻标题\n\n这一段写错了一个词：芯片厂急，难过铜关。\n\n"
           "这一段没有结束，被切断在页尾的\n\n"
           "内部资料严禁外传！\n\n"
           "下一段是新的段落，有自己的开头。\n")
    plain_out, fixed_out = tmp_path / "a", tmp_path / "b"
    folder = make_issue(tmp_path / "x", raw)
    subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", "epub",
                    "--out", str(plain_out), "--quiet"], cwd=ROOT, check=True, capture_output=True)
    folder = make_issue(tmp_path / "y", raw, fixes=(
        '[[fix]]\nlines = "3"\nexpect = "难过铜关"\naction = "replace"\ntext = "难过“铜”关"\nwhy = "typo"\n\n'
        '[[fix]]\nlines = "7"\nexpect = "内部资料严禁外传"\naction = "drop"\nwhy = "slide text"\n\n'
        '[[fix]]\nlines = "5"\nexpect = "被切断在页尾的"\naction = "split"\nwhy = "a title, not a cut"\n\n'
        '[[fix]]\nlines = "99"\nexpect = "不存在的文字"\naction = "drop"\n'))
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", "epub",
                           "--out", str(fixed_out), "--quiet"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    before, after = _epub_text(plain_out / "test-01.epub"), _epub_text(fixed_out / "test-01.epub")
    assert "难过铜关" in before and "难过“铜”关" in after
    assert "内部资料严禁外传" in before and "内部资料严禁外传" not in after
    report = json.loads((fixed_out / "report.json").read_text(encoding="utf-8"))
    assert any(d["rule"] == "fixes" and "内部资料" in d["text"] for d in report["dropped"])
    assert any(w["rule"] == "fixes" and "no longer applies" in w["message"] for w in report["warnings"])


def test_epub_page_list_leads_to_where_each_print_page_begins(built):
    from lxml import etree
    with zipfile.ZipFile(built / "2025-08.epub") as z:
        nav = etree.fromstring(z.read("OEBPS/nav.xhtml"))
        ns = {"x": "http://www.w3.org/1999/xhtml", "e": "http://www.idpf.org/2007/ops"}
        links = nav.xpath("//x:nav[@e:type='page-list']//x:a", namespaces=ns)
        pages = {a.text: a.get("href") for a in links}
        printed = [p for p in PdfReader(str(built / "2025-08-print.pdf")).pages if p.extract_text().strip()]
        assert len(pages) == len(printed)        # every page but the blank padding before the back page
        for href in pages.values():
            name, frag = href.split("#")
            doc = etree.fromstring(z.read(f"OEBPS/{name}"))
            assert doc.xpath("//*[@id=$i]", i=frag), href
        opf = z.read("OEBPS/content.opf").decode()
        assert "pageNavigation" in opf and "<dc:source>" in opf
    # each page's entry leads to text printed on that very page of the print edition
    reader = PdfReader(str(built / "2025-08-print.pdf"))
    with zipfile.ZipFile(built / "2025-08.epub") as z:
        checked = 0
        for number, href in pages.items():
            name, frag = href.split("#")
            marker = etree.fromstring(z.read(f"OEBPS/{name}")).xpath("//*[@id=$i]", i=frag)[0]
            after = (marker.tail or "") + "".join((marker.getnext().itertext() if marker.getnext() is not None
                                                   else []))
            han = "".join(c for c in after if "\u4e00" <= c <= "\u9fff")[:6]
            if len(han) == 6 and name.startswith("a"):
                page = "".join(c for c in reader.pages[int(number) - 1].extract_text() if "\u4e00" <= c <= "\u9fff")
                assert han in page, (number, href, han)
                checked += 1
        assert checked >= 40


def test_print_edition_is_whole_sheets_with_the_colophon_on_the_back_page(built):
    reader = PdfReader(str(built / "2025-08-print.pdf"))
    screen = PdfReader(str(built / "2025-08.pdf"))
    assert len(reader.pages) % 4 == 0
    # the reader's PDF has no blank page: it is the print edition without the padding
    assert all(p.extract_text().strip() for p in screen.pages)
    blanks = sum(1 for p in reader.pages if not p.extract_text().strip())
    assert len(screen.pages) == len(reader.pages) - blanks
    last = reader.pages[-1].extract_text()
    assert "免责声明" in last and "六和路368号" in last.replace(" ", "")
    assert str(len(reader.pages)) not in last.split()          # no folio on the back page
    # the blank pages, fewer than four, stand together just before the back page
    n = len(reader.pages)
    empty = [k for k in range(n) if not reader.pages[k].extract_text().strip()]
    assert len(empty) < 4 and empty == list(range(n - 1 - len(empty), n - 1))


def test_the_report_says_on_which_print_page_a_change_lands(built):
    """Checked by the print PDF itself: a joined sentence is on the page the report gives (or runs on
    to the next: the page is where its paragraph begins)."""
    import re
    report = json.loads((built / "report.json").read_text(encoding="utf-8"))
    joins = [c for c in report["changes"] if c["rule"] == "join_page_breaks" and c["print_page"]]
    assert len(joins) >= 30

    def page(n):
        return re.sub(r"\s+", "", subprocess.run(["pdftotext", "-f", str(n), "-l", str(n),
                                                  str(built / "2025-08-print.pdf"), "-"],
                                                 capture_output=True, text=True).stdout)
    found = [c for c in joins if re.sub(r"\s+", "", c["after"])[:8] in page(c["print_page"]) + page(c["print_page"] + 1)]
    assert len(found) >= 0.9 * len(joins), [(c["print_page"], c["after"][:20]) for c in joins if c not in found]


def test_each_warning_links_the_screen_pdf_page_that_shows_its_text(built):
    """The report's link for a warning opens the screen PDF at the page where the warned-of text
    is: checked against the PDF's text, not against the report's own numbers."""
    import re

    from lxml import html
    report = json.loads((built / "report.json").read_text(encoding="utf-8"))
    placed = [w for w in report["warnings"] if w["screen_page"]]
    assert len(placed) >= 5
    links = html.parse(str(built / "report.html")).xpath("//table[contains(@class,'warn')]//a/@href")
    assert sorted(links) == sorted(f"2025-08.pdf#page={w['screen_page']}" for w in placed)
    for w in [w for w in placed if "…" in w["message"]]:    # those that quote their text
        words = re.sub(r"\s+", "", w["message"].split("…")[-1])[:6]     # the end of the text warned of
        shown = subprocess.run(["pdftotext", "-f", str(w["screen_page"]), "-l", str(w["screen_page"] + 1),
                                str(built / "2025-08.pdf"), "-"], capture_output=True, text=True).stdout
        assert words in re.sub(r"\s+", "", shown), (w["lines"], w["screen_page"], words)
