"""Chinese line layout in the PDFs (pipeline/render/cjk_justify.py), measured
on real prose of 2025-08 set in the article body of the screen style sheet.

Which lines belong to which paragraph, and where the column ends, come from
WeasyPrint's box tree of the document; where each line ends in the PDF and
what text it holds come from `pdftotext -bbox-layout` (poppler's own word
segmentation: a gap of more than 0.1 em between two glyphs is a word space).
"""
import re
import shutil

import pytest
from weasyprint import HTML

from helpers import ISSUE, ROOT
from pipeline.render import cjk_justify
from pipeline.render.pdf import STYLES, ClosedFetcher
from pipeline.render.xhtml import E, HAN_LATIN_GAP, XML_LANG, serialize, sub, with_gap
from tools.lines import layout_lines, pdf_words   # the lines of the justified <p>s, poppler's words

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

PARAGRAPHS = 24          # long prose lines of raw.md, taken in order
CLOSING = set("，。、；：！？）」』”’》】")
CJK = cjk_justify.CJK


def prose(raw: str, n: int) -> list[str]:
    """The first n long lines of plain prose: no markup, tables or ASCII
    punctuation left for the clean-up stage, mostly CJK."""
    out = []
    for line in raw.splitlines():
        line = line.strip()
        if (len(line) >= 120 and not re.search(r"[<>\[\]|#\t*_`,;()]", line)
                and len(CJK.findall(line)) >= 0.85 * len(line)):
            out.append(line)
            if len(out) == n:
                break
    return out


def document(paragraphs: list[str]) -> bytes:
    html = E("html", {"lang": "zh-CN"})
    html.set(XML_LANG, "zh-CN")
    head = sub(html, "head")
    sub(head, "meta", {"charset": "utf-8"})
    sub(head, "link", {"rel": "stylesheet", "href": "styles/screen.css"})
    article = sub(sub(html, "body", {"class": "edition-screen"}), "article", {"class": "article"})
    body = sub(article, "div", {"class": "article-body"})
    for text in paragraphs:
        sub(body, "p", text=with_gap(text))
    return serialize(html)


def measure(lines, words) -> None:
    """Attach to each layout line its words in the PDF (left to right), its
    right end and its text: words joined by a space where poppler sees a word
    space (a gap over 0.1 em), by nothing where two glyph boxes overlap (a
    punctuation mark compressed with `halt` draws into its neighbour's box)."""
    for line in lines:
        # 10 pt Noto Serif CJK: ascent 1.151 em, descent 0.287 em of a 1.438 em box
        found = sorted(w for w in words[line["page"]]
                       if abs(w[3] - 0.287 / 1.438 * (w[3] - w[1]) - line["baseline"]) < 1.5
                       and w[0] > line["left"] - 1 and w[2] < line["right"] + 20)
        assert found, f"no text in the PDF for a line at {line}"
        text, gaps = found[0][4], []
        for prev, word in zip(found, found[1:]):
            gaps.append(word[0] - prev[2])
            text += (" " if gaps[-1] > 0.1 * 10 else "") + word[4]
        line["x_min"], line["x_max"] = found[0][0], max(w[2] for w in found)
        if (found[-1][4][-1:] in cjk_justify.RIGHT_BLANK
                and abs(line["right"] - (line["x_max"] - 0.5 * 10)) <= 0.5):
            # a stop set at half width (halt) to tighten the line: poppler's box for its glyph is
            # the font's 1 em, past the half em it advances, which ends at the column
            line["x_max"] -= 0.5 * 10
        line["text"], line["gaps"] = text, gaps


def inserted_spaces(extracted: str, source: str) -> list[str]:
    """Places where the extracted text has white space that the source (with
    its Han-Latin gaps) has not; asserts both have the same characters."""
    ext = [(c, bool(re.match(r"\s", extracted[k - 1])) if k else False)
           for k, c in enumerate(extracted) if not c.isspace()]
    src = [(c, bool(re.match(r"\s", source[k - 1])) if k else False)
           for k, c in enumerate(source) if not c.isspace()]
    assert [c for c, _ in ext] == [c for c, _ in src], (extracted, source)
    return ["".join(c for c, _ in ext[max(0, k - 3):k + 3])
            for k, ((_, e), (_, s)) in enumerate(zip(ext, src)) if e and not s]


@pytest.fixture(scope="module")
def paragraphs():
    return prose((ISSUE / "raw.md").read_text(encoding="utf-8"), PARAGRAPHS)


def render(paragraphs, tmp_path, patched: bool):
    was = cjk_justify.is_installed()
    (cjk_justify.install if patched else cjk_justify.uninstall)()
    try:
        doc = HTML(string=document(paragraphs).decode("utf-8"), base_url=str(ROOT) + "/",
                   url_fetcher=ClosedFetcher([STYLES])).render()
        pdf = tmp_path / ("on.pdf" if patched else "off.pdf")
        doc.write_pdf(str(pdf))
    finally:
        (cjk_justify.install if was else cjk_justify.uninstall)()
    lines = layout_lines(doc)
    measure(lines, pdf_words(pdf))
    return lines


@pytest.fixture(scope="module")
def laid_out(paragraphs, tmp_path_factory):
    return render(paragraphs, tmp_path_factory.mktemp("layout"), patched=True)


def flush_share(lines) -> float:
    body = [ln for ln in lines if not ln["last"]]
    assert len(body) > 100
    return sum(abs(ln["right"] - ln["x_max"]) <= 0.5 for ln in body) / len(body)


def test_the_sample_is_real_prose(paragraphs, laid_out):
    assert len(paragraphs) == PARAGRAPHS
    assert len({ln["para"] for ln in laid_out}) == PARAGRAPHS
    assert len({ln["page"] for ln in laid_out}) >= 2          # both columns, more than one page


def test_body_lines_end_flush_with_the_column(laid_out):
    share = flush_share(laid_out)
    assert share >= 0.95, f"only {share:.1%} of non-final lines end within 0.5 pt of the column"
    overflowing = [ln["text"] for ln in laid_out if ln["x_max"] > ln["right"] + 0.5]
    assert overflowing == []


def test_without_the_patch_lines_end_ragged(paragraphs, tmp_path):
    """The measurement can tell: WeasyPrint's own justification leaves most
    lines of Chinese short of the column."""
    assert flush_share(render(paragraphs, tmp_path, patched=False)) < 0.5


def test_no_line_starts_with_closing_punctuation(laid_out):
    starts = [ln["text"] for ln in laid_out if ln["text"][0] in CLOSING]
    assert starts == []


def test_extracted_text_is_the_source_text(paragraphs, laid_out):
    for number, source in enumerate(paragraphs):
        extracted = "".join(ln["text"] for ln in laid_out if ln["para"] == number)
        assert inserted_spaces(extracted, with_gap(source).replace(HAN_LATIN_GAP, " ")) == [], number


def test_adjacent_punctuation_is_compressed(paragraphs, tmp_path):
    """Each pair of adjacent full-width marks of the sample (such as 。” ）、
    ：“ ，“) takes 1.5 em in the PDF, not 2; other text keeps its width."""
    pairs = sorted({text[k:k + 2] for text in paragraphs for k in range(len(text) - 1)
                    if cjk_justify.halt_positions(text[k:k + 2])})
    assert len(pairs) >= 5, pairs
    samples = ["中" + pair + "文" for pair in pairs] + ["中文中文", "（中）文"]
    width = {}
    for patched in (False, True):
        lines = render(samples, tmp_path, patched)
        assert [ln["text"] for ln in lines] == samples
        width[patched] = [ln["x_max"] - ln["x_min"] for ln in lines]
    for sample, off, on in zip(samples, width[False], width[True]):
        assert off == pytest.approx(10 * len(sample), abs=0.05)      # 10 pt a mark unpatched
        assert on == pytest.approx(off - 5 * len(cjk_justify.halt_positions(sample)), abs=0.05), sample


def test_halt_positions():
    assert cjk_justify.halt_positions("他说。”然后") == [2]          # stop + closing: the stop
    assert cjk_justify.halt_positions("（平台）、杭州") == [3]       # closing + pause: the closing
    assert cjk_justify.halt_positions("指出：“绿水") == [3]          # pause + opening: the opening
    assert cjk_justify.halt_positions("（“芯火”）") == [1, 4]       # opening + opening: the second
    assert cjk_justify.halt_positions("「」") == []
    pieces = cjk_justify.compress_punctuation("他说：“好。”")
    assert "".join(t for t, _ in pieces) == "他说：“好。”"
    assert [t for t, halt in pieces if halt] == ["“", "。"]


def test_expansion_points():
    assert cjk_justify.expansion_points("中文字") == (0, 2)          # half a unit off each edge
    assert cjk_justify.expansion_points("a 中文") == (1, 1.5)
    assert cjk_justify.expansion_points("年\u20052025") == (0, 0.5)  # the gap is no opportunity
    assert cjk_justify.expansion_points("将从\u2005", line_end=True) == (0, 1)


def test_patch_is_idempotent_switchable_and_pinned(monkeypatch):
    import weasyprint
    from weasyprint.layout import inline
    from weasyprint.text import line_break
    was = cjk_justify.is_installed()
    try:
        cjk_justify.uninstall()
        original = inline.justify_line, inline.text_align, line_break.Layout.set_text
        assert cjk_justify.install() and cjk_justify.install()
        assert inline.justify_line.cjk_patch and line_break.Layout.set_text.cjk_patch
        cjk_justify.uninstall()
        assert (inline.justify_line, inline.text_align, line_break.Layout.set_text) == original
        monkeypatch.setattr(weasyprint, "__version__", "71.0")
        assert cjk_justify.install() is False and not cjk_justify.is_installed()
        assert inline.justify_line is original[0]
        monkeypatch.setenv(cjk_justify.ENV, "0")
        assert not cjk_justify.enabled()
    finally:
        monkeypatch.undo()
        (cjk_justify.install if was else cjk_justify.uninstall)()


def test_a_table_that_runs_on_says_so_at_the_head_of_the_next_page(tmp_path):
    """续表 with the caption heads each page a table runs on to, and no other page."""
    import subprocess
    from helpers import make_issue
    from pipeline.build import make_model
    from pipeline.render.pdf import render_pdf
    rows = "\n".join(f"公司{k}\t{k * 10}\t{k}%" for k in range(1, 90))
    raw = ("# 天堂之芯\n\n# 目录\n\n### • 芯动态\n\n- ▲甲公司发布新品 — 01\n\n## 甲公司发布新品\n\n"
           "正文一，完整。\n\n各公司营收排名\n\n公司\t营收\t份额\n" + rows + "\n\n正文二，完整。\n\n"
           "小表\n\n公司\t营收\n甲\t1\n乙\t2\n\n正文三，完整。\n")
    folder = make_issue(tmp_path, raw)
    issue, _, _ = make_model(folder)
    info = render_pdf(issue, "print", folder, tmp_path / "x.pdf")
    pages = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(tmp_path / "x.pdf"), "-"],
                            capture_output=True, text=True).stdout.replace(" ", "")   # the Han–Latin gap
             for n in range(1, info["pages"] + 1)]
    marked = [n for n, text in enumerate(pages, 1) if "续表" in text]
    starts = next(n for n, text in enumerate(pages, 1) if "各公司营收排名" in text)
    ends = next(n for n, text in enumerate(pages, 1) if "公司89" in text)
    assert ends > starts
    assert marked == list(range(starts + 1, ends + 1))
    assert all("续表：各公司营收排名" in pages[n - 1] for n in marked)


def _table_pages(tmp_path, paragraphs: int, rows: int):
    """An article of `paragraphs` paragraphs, then a table of `rows` rows, laid out for print."""
    import subprocess
    from helpers import make_issue
    from pipeline.build import make_model
    from pipeline.render.pdf import render_pdf
    prose = "".join(f"第{k}段：晶圆制造包括光刻、刻蚀、沉积与清洗等数百道工序，每一道都关系到芯片的良率与成本。\n\n"
                    for k in range(paragraphs))
    # a description column makes the table wider than one text column: it spans both
    body = "\n".join(f"公司{k}\t主要产品为功率半导体器件、模拟芯片与各类传感器\t{k * 10}\t{k}%"
                      for k in range(1, rows + 1))
    raw = ("# 天堂之芯\n\n# 目录\n\n### • 芯动态\n\n- ▲甲公司发布新品 — 01\n\n## 甲公司发布新品\n\n" + prose
           + "各公司营收排名\n\n公司\t产品\t营收\t份额\n" + body + "\n\n正文二，完整。\n")
    folder = make_issue(tmp_path, raw)
    issue, _, _ = make_model(folder)
    info = render_pdf(issue, "print", folder, tmp_path / "x.pdf")
    pages = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(tmp_path / "x.pdf"), "-"],
                            capture_output=True, text=True).stdout for n in range(1, info["pages"] + 1)]
    (rows_by_page,) = info["table_rows"].values()
    return pages, rows_by_page


def test_a_short_table_that_does_not_fit_starts_the_next_page_whole_and_not_continued(tmp_path):
    # 58 paragraphs fill the article's pages to a few lines from the foot: measured (56 leave room
    # for the table), the 12-row table goes to the head of the next page rather than split
    pages, rows = _table_pages(tmp_path, 58, 12)
    assert rows == [12]
    at = next(n for n, text in enumerate(pages, 1) if "各公司营收排名" in text)
    lines = [ln for ln in pages[at - 1].splitlines() if ln.strip()]
    assert lines[1] == "各公司营收排名", lines[:3]        # the head of the page (after the running head)
    assert "续表" not in pages[at - 1]


def test_a_long_table_breaks_with_three_rows_or_more_on_each_side(tmp_path):
    # 44 rows after 40 paragraphs: the table starts low on a page and runs on to the next
    pages, rows = _table_pages(tmp_path, 40, 44)
    assert len(rows) == 2 and sum(rows) == 44 and min(rows) >= 3, rows


LONE = "第{k}段：晶圆制造包括光刻、刻蚀、沉积与清洗等数百道工序，每一道都关系到芯片的良率与成本。"


def test_a_paragraph_does_not_end_with_one_character_when_a_line_can_take_it(tmp_path):
    """Unpatched, each of these paragraphs ends with `本。` alone on its last
    line; patched, the line before takes it in, tightened (its punctuation at
    half width first), and still ends at the column."""
    samples = [LONE.format(k=k) for k in range(30, 36)]
    lone = {}
    for patched in (False, True):
        lines = render(samples, tmp_path, patched)
        lone[patched] = [ln["text"] for ln in lines if ln["last"] and len(ln["text"].rstrip("。")) <= 1]
        if patched:
            body = [ln for ln in lines if not ln["last"]]
            assert all(abs(ln["right"] - ln["x_max"]) <= 0.5 for ln in body), [ln["text"] for ln in body]
            assert not [ln["text"] for ln in lines if ln["x_max"] > ln["right"] + 0.5]
            assert "".join(ln["text"] for ln in lines).replace(" ", "") == "".join(samples)
    assert lone[False] == ["本。"] * len(samples)
    assert lone[True] == []


def latin_document(paragraphs: list[str], tag_words: bool) -> bytes:
    from pipeline.render.xhtml import _append_text, _append_words
    html = E("html", {"lang": "zh-CN"})
    html.set(XML_LANG, "zh-CN")
    head = sub(html, "head")
    sub(head, "meta", {"charset": "utf-8"})
    sub(head, "link", {"rel": "stylesheet", "href": "styles/screen.css"})
    body = sub(sub(sub(html, "body", {"class": "edition-screen"}), "article", {"class": "article"}),
               "div", {"class": "article-body"})
    for text in paragraphs:
        (_append_words if tag_words else _append_text)(sub(body, "p"), with_gap(text))
    return serialize(html)


def test_a_latin_word_at_the_end_of_a_line_is_hyphenated_where_english_may_break(tmp_path):
    """A long English word in Chinese text, at every place along the line:
    tagged as English, it breaks at a hyphenation point with at least three
    letters on either side; untagged, never."""
    word = "interconnection"
    samples = [f"{'国' * k}的{word}技术，成为新一代芯片与系统封装的关键。" for k in range(10, 22)]
    ends = {}
    for tagged in (False, True):
        doc = HTML(string=latin_document(samples, tagged).decode("utf-8"), base_url=str(ROOT) + "/",
                   url_fetcher=ClosedFetcher([STYLES])).render()
        pdf = tmp_path / f"latin-{tagged}.pdf"
        doc.write_pdf(str(pdf))
        lines = layout_lines(doc)
        measure(lines, pdf_words(pdf))
        ends[tagged] = [ln["text"] for ln in lines if not ln["last"]]
    assert not [t for t in ends[False] if t.endswith("-")]
    broken = [t for t in ends[True] if t.endswith("-")]
    assert len(broken) >= 3, ends[True]
    for text in broken:
        head = re.search(r"([a-z]+)-$", text).group(1)
        assert word.startswith(head) and len(head) >= 3 and len(word) - len(head) >= 3, text


def test_a_table_whose_columns_fit_one_text_column_is_set_in_it_and_a_wider_one_spans_both(tmp_path):
    from helpers import make_issue
    from pipeline.build import make_model
    from pipeline.render.xhtml import html_document
    narrow = "\n".join(f"{2010 + k}\t{k * 10}\t{k}%" for k in range(1, 6))
    wide = "\n".join(f"公司{k}\t主要产品为功率半导体器件、模拟芯片与各类传感器\t{k}%" for k in range(1, 6))
    raw = ("# 天堂之芯\n\n# 目录\n\n### • 芯动态\n\n- ▲甲公司发布新品 — 01\n\n## 甲公司发布新品\n\n"
           "甲公司今天发布了新品，性能提升一倍。\n\n年份营收\n\n年份\t营收\t份额\n" + narrow
           + "\n\n正文二，完整。\n\n产品一览\n\n公司\t产品\t份额\n" + wide + "\n\n正文三，完整。\n")
    issue, _, _ = make_model(make_issue(tmp_path, raw))
    html = html_document(issue, "styles/screen.css", "screen")
    doc = HTML(string=serialize(html).decode("utf-8"), base_url=str(ROOT) + "/",
               url_fetcher=ClosedFetcher([STYLES])).render()
    widths = {}

    def walk(box):
        if type(box).__name__ == "TableBox":
            widths[box.element.get("id")] = box.width
        for child in getattr(box, "children", []):
            walk(child)

    for page in doc.pages:
        walk(page._page_box)
    (first, second) = sorted(widths)
    area = 172 / 25.4 * 96             # the type area, 172 mm, in CSS px
    assert widths[first] < area / 2    # in one column (82.5 mm)
    assert widths[second] == pytest.approx(area, abs=1)
