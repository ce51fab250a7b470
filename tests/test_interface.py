"""Nothing of our magazine or of Simplified Chinese hard-wired in the writers (issue 15): the words
around the text follow the issue's language (render/words.py, [words] in magazine.toml), the
faces follow its script, an empty disclaimer prints no heading, a one-section issue has no
section opener, the masthead falls back to the issue's title.  Issues built with another
publication's constants (helpers.MAGAZINE)."""
import re
import subprocess
import sys
import zipfile

import pytest
from lxml import etree

from helpers import MAGAZINE, ROOT, issue_toml, make_issue
from pipeline.render.words import WORDS, face, script, words
from pipeline.render.xhtml import XHTML

NS = {"x": XHTML}
SIMPLIFIED_WORDS = ("目录", "续表", "版权页", "免责声明", "来源：", "页码", "导览")
# an issue of two sections; the raw text's own contents heading is what the extractor gives
RAW = ("# 示例月刊\n\n# 目录\n\n### • 要闻\n\n- ▲甲公司發佈新產品 — 01\n\n### • 观点\n\n- ▲晶片產業的未來 — 02\n\n"
       "## 甲公司發佈新產品\n\n甲公司今天發佈了新產品，性能提升一倍。\n\n"
       "<table><tr><td>項目</td><td>數值</td></tr><tr><td>產能</td><td>12</td></tr>"
       "<tr><td>良率</td><td>95</td></tr></table>\n\n（来源：芯東西）\n\n"
       "## 晶片產業的未來\n\n晶片產業正在經歷變革。\n")
TWO_SECTIONS = ("# 示例月刊\n\n# 目录\n\n### • 要闻\n\n- ▲甲公司发布新品 — 01\n\n### • 观点\n\n- ▲芯片产业的未来 — 02\n\n"
                "## 甲公司发布新品\n\n甲公司今天发布了新品，性能提升一倍。\n\n"
                "## 芯片产业的未来\n\n芯片产业正在经历变革。\n")
ONE_SECTION = ("# 示例月刊\n\n# 目录\n\n### • 要闻\n\n- ▲甲公司发布新品 — 01\n\n"
               "## 甲公司发布新品\n\n甲公司今天发布了新品，性能提升一倍。\n")


def model(tmp_path, raw=RAW, language="zh-TW", magazine=MAGAZINE):
    from pipeline.build import make_model
    return make_model(make_issue(tmp_path, raw, issue_toml=issue_toml(language), magazine=magazine))[0]


def epub_files(issue, tmp_path):
    from pipeline.render.epub import write_epub
    target = tmp_path / "book.epub"
    write_epub(issue, target)
    with zipfile.ZipFile(target) as z:
        return {n: z.read(n) for n in z.namelist()}


def text_of(el) -> str:
    return "".join(el.itertext())


# --- the table ------------------------------------------------------------------------------------

@pytest.mark.parametrize("language, expected_script, expected_face, contents", [
    ("zh-CN", "Hans", "SC", "目录"), ("zh-SG", "Hans", "SC", "目录"), ("zh-Hans", "Hans", "SC", "目录"),
    ("zh", "Hans", "SC", "目录"), ("zh-TW", "Hant", "TC", "目錄"), ("zh-HK", "Hant", "TC", "目錄"),
    ("zh-MO", "Hant", "TC", "目錄"), ("zh-Hant", "Hant", "TC", "目錄"), ("zh-Hant-TW", "Hant", "TC", "目錄"),
    ("zh-Hans-HK", "Hans", "SC", "目录"), ("ja", "Jpan", "JP", "目次"), ("ja-JP", "Jpan", "JP", "目次"),
    ("en", "Latn", "SC", "Contents"), ("en-GB", "Latn", "SC", "Contents"), ("fr", "Latn", "SC", "Contents"),
])
def test_language_gives_script_face_and_words(language, expected_script, expected_face, contents):
    assert script(language) == expected_script
    assert face(language) == expected_face
    assert words(language)["contents"] == contents


def test_the_table_holds_the_words_asked_for():
    assert [WORDS["zh-Hant"][k] for k in ("contents", "table_continued", "colophon", "disclaimer", "source")] == \
        ["目錄", "續表", "版權頁", "免責聲明", "來源："]
    assert [WORDS["ja"][k] for k in ("contents", "table_continued", "colophon", "disclaimer", "source")] == \
        ["目次", "表（続き）", "奥付", "免責事項", "出典："]
    assert [WORDS["en"][k] for k in ("contents", "table_continued", "colophon", "disclaimer", "source")] == \
        ["Contents", "Table (continued)", "Colophon", "Disclaimer", "Source: "]


# --- a Traditional Chinese issue ------------------------------------------------------------------

def test_zh_tw_epub_says_traditional_words_and_no_simplified_ones(tmp_path):
    issue = model(tmp_path)
    files = epub_files(issue, tmp_path)
    contents = etree.fromstring(files["OEBPS/contents.xhtml"])
    assert contents.xpath("string(//x:h1)", namespaces=NS) == "目錄"
    assert "免責聲明" in text_of(contents)
    article = etree.fromstring(files[f"OEBPS/{issue.articles[0].id}.xhtml"])
    assert text_of(article.xpath("//x:p[@class='source']", namespaces=NS)[0]) == "來源：芯東西"
    assert article.xpath("//x:tbody/@data-continued", namespaces=NS) == ["續表"]
    nav = files["OEBPS/nav.xhtml"].decode()
    assert "目錄" in nav and "版權頁" in nav
    everything = "".join(d.decode() for n, d in files.items() if n.endswith((".xhtml", ".opf")))
    assert [w for w in SIMPLIFIED_WORDS if w in everything] == []
    assert WORDS["zh-Hant"]["accessibility_summary"] in files["OEBPS/content.opf"].decode()


def test_zh_tw_roots_carry_what_sets_the_tc_faces(tmp_path):
    from pipeline.render.xhtml import html_document
    issue = model(tmp_path)
    html = html_document(issue, "styles/screen.css", "screen")
    assert html.get("lang") == "zh-TW" and html.get("class") == "script-Hant"
    css = (ROOT / "styles" / "common.css").read_text(encoding="utf-8")
    rule = re.search(r"html\.script-Hant\s*\{([^}]*)\}", css).group(1)
    assert '"Noto Serif CJK TC"' in rule and '"Noto Sans CJK TC"' in rule
    files = epub_files(issue, tmp_path)
    root = etree.fromstring(files["OEBPS/contents.xhtml"])
    assert root.get("lang") == "zh-TW" and root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-TW"
    book_css = files["OEBPS/css/epub.css"].decode()
    assert "Noto Serif CJK TC Subset" in book_css and "CJK SC" not in book_css


def test_a_simplified_issue_keeps_the_sc_faces_and_the_file_as_it_is(tmp_path):
    from pipeline.render.xhtml import html_document
    issue = model(tmp_path, language="zh-CN")
    assert html_document(issue, "styles/screen.css", "screen").get("class") == "script-Hans"
    files = epub_files(issue, tmp_path)
    assert files["OEBPS/css/epub.css"] == (ROOT / "styles" / "epub.css").read_bytes()
    assert etree.fromstring(files["OEBPS/contents.xhtml"]).xpath("string(//x:h1)", namespaces=NS) == "目录"


# --- the magazine's own words ---------------------------------------------------------------------

def test_magazine_words_override_the_table(tmp_path):
    magazine = {**MAGAZINE, "words": {"contents": "本期要目", "contents_subtitle": ""}}
    issue = model(tmp_path, magazine=magazine)
    contents = etree.fromstring(epub_files(issue, tmp_path)["OEBPS/contents.xhtml"])
    assert contents.xpath("string(//x:h1)", namespaces=NS) == "本期要目"
    assert not contents.xpath("//x:p[@class='contents-subtitle']", namespaces=NS)


@pytest.mark.parametrize("words_table, line, message", [
    ('[words]\ncontents = "目錄"\ncontent = "x"\n', 7, "no word 'content'"),
    ('[words]\ncontents = 3\n', 6, "'contents' must be a text, not a whole number"),
    ('words = "目錄"\n', 5, "'words' must be a table"),
])
def test_bad_words_table_exits_2_naming_the_line(tmp_path, words_table, line, message):
    magazine = 'masthead = "示例月刊"\nsections = ["要闻", "观点"]\ndisclaimer = ""\n\n' + words_table
    folder = make_issue(tmp_path, RAW, issue_toml=issue_toml("zh-TW"), magazine=magazine)
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", "epub",
                           "--out", str(tmp_path / "o")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert f"magazine.toml:{line}:" in last and message in last, last


# --- no disclaimer, one section, no masthead -------------------------------------------------------

def test_no_disclaimer_heading_over_nothing(tmp_path):
    from pipeline.render.xhtml import html_document
    for disclaimer, expected in [("", 0), (MAGAZINE["disclaimer"], 2)]:   # contents page and colophon
        issue = model(tmp_path / str(expected), magazine={**MAGAZINE, "disclaimer": disclaimer})
        html = html_document(issue, "styles/screen.css", "screen")
        assert len(html.xpath("//x:aside[@class='disclaimer']", namespaces=NS)) == expected
        assert text_of(html).count("免責聲明") == expected
        files = epub_files(issue, tmp_path / str(expected))
        epub_text = "".join(d.decode() for n, d in files.items() if n.endswith(".xhtml"))
        assert epub_text.count("免責聲明") == expected
        assert epub_text.count('class="disclaimer"') == expected


def test_one_section_has_no_opener_two_have_two(tmp_path):
    from pipeline.render.xhtml import html_document
    one = model(tmp_path / "one", raw=ONE_SECTION, language="zh-CN")
    two = model(tmp_path / "two", raw=TWO_SECTIONS, language="zh-CN")
    assert len(one.sections) == 1 and len(two.sections) == 2
    for issue, openers in [(one, 0), (two, 2)]:
        html = html_document(issue, "styles/screen.css", "screen")
        assert len(html.xpath("//*[@class='section-opener']")) == openers
        assert len(html.xpath("//x:section[@class='magazine-section']", namespaces=NS)) == len(issue.sections)
    nav = epub_files(one, tmp_path)["OEBPS/nav.xhtml"].decode()
    assert "要闻" in nav and "甲公司发布新品" in nav      # the nav still names the section and its article


def test_without_a_masthead_the_issue_title_is_the_name(tmp_path):
    from pipeline.render.xhtml import html_document
    magazine = {k: v for k, v in MAGAZINE.items() if k not in ("masthead", "masthead_en")}
    issue = model(tmp_path, magazine=magazine)
    html = html_document(issue, "styles/screen.css", "screen")
    assert html.xpath("string(//x:p[@class='masthead'])", namespaces=NS) == issue.meta.title
    assert html.xpath("string(//x:p[@class='masthead-en'])", namespaces=NS) == issue.meta.subtitle
    assert html.xpath("string(//*[@class='colophon-title'])", namespaces=NS) == issue.meta.title


def test_no_publication_literal_in_the_style_sheets_or_writers():
    masthead = "天堂之芯"
    for path in list((ROOT / "styles").glob("*.css")) + list((ROOT / "pipeline" / "render").glob("*.py")):
        assert masthead not in path.read_text(encoding="utf-8"), path
    for path in (ROOT / "pipeline" / "render").glob("*.py"):
        if path.name in ("words.py", "cjk_justify.py"):   # the table; punctuation classes
            continue
        code = "\n".join(line.split("#")[0] for line in path.read_text(encoding="utf-8").splitlines())
        strings = re.findall(r"\"[^\"\n]*\"|'[^'\n]*'", code)
        assert not [s for s in strings if re.search(r"[\u4e00-\u9fff]", s)], path


# --- the PDFs (slow: laid out in a subprocess) -----------------------------------------------------

def build(folder, out, formats):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--out", str(out),
                           "--formats", formats, "--quiet"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return out


def pdf_fonts(path) -> list[str]:
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [line.split()[0].split("+")[-1] for line in lines[2:]]


@pytest.mark.slow
def test_zh_tw_pdfs_are_set_in_the_tc_faces(tmp_path):
    folder = make_issue(tmp_path, RAW, issue_toml=issue_toml("zh-TW"), magazine=MAGAZINE)
    out = build(folder, tmp_path / "o", "screen,print")
    for name in ("test-01.pdf", "test-01-print.pdf"):
        fonts = pdf_fonts(out / name)
        assert "Noto-Serif-CJK-TC" in fonts and "Noto-Sans-CJK-TC" in fonts, (name, fonts)
        assert not [f for f in fonts if "CJK-SC" in f or "CJK-JP" in f], (name, fonts)
    from pypdf import PdfReader
    text = "".join(p.extract_text() for p in PdfReader(str(out / "test-01.pdf")).pages)
    assert "目錄" in text and "目录" not in text
    outline = [o.title for o in PdfReader(str(out / "test-01.pdf")).outline if not isinstance(o, list)]
    assert "目錄" in outline and "版權頁" in outline


@pytest.mark.slow
def test_one_section_pdf_has_no_page_of_its_name_alone(tmp_path):
    from pypdf import PdfReader
    pages = {}
    for name, raw in [("one", ONE_SECTION), ("two", TWO_SECTIONS)]:
        folder = make_issue(tmp_path / name, raw, issue_toml=issue_toml("zh-CN"), magazine=MAGAZINE)
        reader = PdfReader(str(build(folder, tmp_path / name / "o", "screen") / "test-01.pdf"))
        pages[name] = [re.sub(r"\s+", "", p.extract_text()) for p in reader.pages]
    # a section's opening page: its name, then its articles with leaders to their pages (no running
    # head or folio: the opener has none)
    def openers(texts):
        return [s for s in MAGAZINE["sections"] if any(p.startswith(s) and "....." in p for p in texts)]
    assert openers(pages["one"]) == []
    assert openers(pages["two"]) == MAGAZINE["sections"]


@pytest.mark.slow
def test_the_checker_wants_the_face_of_the_documents_language(tmp_path):
    # a zh-TW issue is set in the TC faces, and `check` asks for them, not for SC
    from pypdf import PdfReader
    from pipeline.check import _cjk_faces, _fonts
    folder = make_issue(tmp_path, "# 產業動態\n\n臺灣半導體產業的發展，與國際市場緊密相連。\n",
                        issue_toml=issue_toml(language="zh-TW"))
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", "screen",
                           "--out", str(tmp_path / "o")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    reader = PdfReader(tmp_path / "o" / "test-01.pdf")
    name, ok, detail = _cjk_faces("screen", _fonts(reader), reader)
    assert ok and "TC" in name, detail
    assert not any("CJK-SC" in k for k in _fonts(reader)), detail
