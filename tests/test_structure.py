import tomllib
from pathlib import Path

from pipeline.clean import clean
from pipeline.context import Context
from pipeline.model import Heading, Log, Meta
from pipeline.read import read_blocks
from pipeline.structure import build_issue, house_title, title_similarity

FIXTURE = Path(__file__).parent / "fixtures" / "2025-08-structure.toml"
META = Meta("t", "天堂之芯", "ICN", "zh-CN", "2025-09", "出版者", "urn:uuid:x")
MAG = {"sections": ["芯动态", "芯资讯"], "publisher": {"name": "出版者有限公司"}}


def structure(text):
    log = Log()
    ctx = Context(log=log, magazine=MAG)
    return build_issue(clean(read_blocks(text, log), ctx), META, MAG, ctx), log


def test_2025_08_matches_the_hand_verified_contents(model_2025_08):
    issue, log, _ = model_2025_08
    want = tomllib.loads(FIXTURE.read_text(encoding="utf-8"))["section"]
    assert [s.name for s in issue.sections] == [s["name"] for s in want]
    for got, exp in zip(issue.sections, want):
        assert [(a.title, a.printed_page, a.span.start) for a in got.articles] == \
               [tuple(x) for x in exp["articles"]]


def test_2025_08_duplicate_heading_is_repaired_and_reported(model_2025_08):
    issue, log, _ = model_2025_08
    repairs = [c for c in log.changes if c.rule == "title_repair"]
    assert [(c.span.start, c.after) for c in repairs] == [(1489, "半导体领域陷入芯“铜”危机")]


def test_2025_08_sources_and_colophon(model_2025_08):
    issue, _, _ = model_2025_08
    arts = {a.title: a for a in issue.articles}
    assert arts["芯迈半导体：港交所IPO申请获受理"].source == "芯东西"
    assert arts["SEMI：2025年全球半导体设备总销售额预计将达1255亿美元，创历史新高"].source == "SEMI"
    assert "六和路368号" in issue.back[-1].text
    assert issue.front[0].text == "天堂之芯"


SYNTH = """# 刊名

前言一段。

# 目录

### • 芯动态

- ▲甲公司: 募资9亿元用于项目 — 01
- ▲乙公司发布新品 — 03

### • 芯资讯

- ▲丙: 行业报告 — 05

## 甲公司：募资9亿用于项目

正文一，完整。

#### **(01)小标题**

正文二。

## 乙公司发布新品

正文三。

（来源：芯东西）

## 乙公司发布新品

正文四。

出版者有限公司
"""


def test_contents_drives_articles_despite_wording_and_duplicates():
    issue, log = structure(SYNTH)
    titles = [(s.name, [a.title for a in s.articles]) for s in issue.sections]
    assert titles == [("芯动态", ["甲公司：募资9亿元用于项目", "乙公司发布新品"]), ("芯资讯", ["丙：行业报告"])]
    a1 = issue.sections[0].articles[0]
    assert [b.level for b in a1.blocks if b.kind == "heading"] == [3]
    assert issue.sections[0].articles[1].source == "芯东西"
    assert any(c.rule == "title_repair" for c in log.changes)


def test_no_contents_page_builds_from_top_headings_with_a_warning():
    issue, log = structure("# 甲\n\n正文。\n\n## 甲一\n\n正文。\n\n# 乙\n\n正文。\n")
    assert [a.title for a in issue.articles] == ["甲", "乙"]
    assert any(w.rule == "structure.contents" for w in log.warnings)


def test_flat_headings_without_contents_take_articles_from_their_outermost_numbering():
    # as MinerU writes them: every heading at `#`; the document's title, then 一、二、 with 1. 2. under them
    issue, log = structure("# 七年级练习\n\n# 一、选择题\n\n# 1. 第一题\n\n题。\n\n# 2. 第二题\n\n题。\n\n"
                           "# 二、填空题\n\n# 1. 第一题\n\n题。\n")
    assert [a.title for a in issue.articles] == ["一、选择题", "二、填空题"]
    assert [b.text for b in issue.front] == ["七年级练习"]
    assert [b.text for b in issue.articles[0].blocks if isinstance(b, Heading)] == ["1. 第一题", "2. 第二题"]


def test_flat_unnumbered_headings_without_contents_are_one_article():
    # a research note: sidebar labels and the note's sections, all at `#`, none numbered
    issue, log = structure("# 证券分析师\n\n张三 资格编号：S01\n\n# 研究助理\n\n李四\n\n"
                           "# 公司点评：扩产金刚线\n\n# 投资要点\n\n事件：公司拟投资。\n\n# 法律声明\n\n本报告仅供参考。\n")
    assert [a.title for a in issue.articles] == [META.title]
    assert [b.text for b in issue.articles[0].blocks if isinstance(b, Heading)] == \
        ["证券分析师", "研究助理", "公司点评：扩产金刚线", "投资要点", "法律声明"]
    assert [w.message for w in log.warnings if w.rule == "structure.contents"] == [
        "no contents page found, no numbered headings: the whole text is one article, its headings sub-headings"]


def test_title_helpers():
    assert house_title("SEMI: 2025年预计, 创新高") == "SEMI：2025年预计，创新高"
    assert title_similarity("甬矽电子: 募资9亿元用于", "甬矽电子：募资9亿用于") > 0.8
    assert title_similarity("LPDDR6 内存标准", "半导体领域陷入芯“铜”危机") < 0.3


def test_a_top_level_heading_no_entry_names_is_reported_not_promoted():
    text = SYNTH.replace("正文三。\n", "正文三。\n\n## 高性能\n\n正文三之二。\n")
    issue, log = structure(text)
    assert [a.title for a in issue.articles] == ["甲公司：募资9亿元用于项目", "乙公司发布新品", "丙：行业报告"]
    b = issue.sections[0].articles[1]
    assert [(x.text, x.level) for x in b.blocks if x.kind == "heading"] == [("高性能", 3)]
    assert [c.before for c in log.changes if c.rule == "structure.unmatched_heading"] == ["高性能"]


def test_one_numbered_series_of_sub_headings_are_siblings():
    # the extractor set 一、二、 at one depth and 三、 at another; 1. 2. under 二、
    text = SYNTH.replace("正文三。\n", "正文三。\n\n### 一、总体要求\n\n甲。\n\n### 二、建设布局\n\n乙。\n\n"
                         "#### 1. 建设领域\n\n丙。\n\n#### 2. 建设类型\n\n丁。\n\n## 三、保障\n\n戊。\n")
    issue, _ = structure(text)
    heads = [(x.text, x.level) for x in issue.sections[0].articles[1].blocks if x.kind == "heading"]
    assert heads == [("一、总体要求", 3), ("二、建设布局", 3), ("1. 建设领域", 4), ("2. 建设类型", 4), ("三、保障", 3)]


def test_titles_set_in_bold_or_as_a_plain_line_still_start_their_articles():
    text = ("# 刊名\n\n# 目录\n\n### • 芯动态\n\n- ▲甲公司发布新品 — 01\n- ▲乙公司募资9亿元 — 03\n"
            "- ▲丙公司奠基 — 05\n\n## 甲公司发布新品\n\n正文一，完整。\n\n乙公司募资9亿\n\n正文二，完整。\n\n"
            "**丙公司奠基**\n\n正文三，完整。\n")
    issue, log = structure(text)
    assert [(a.title, [b.text for b in a.blocks]) for a in issue.articles] == [
        ("甲公司发布新品", ["正文一，完整。"]), ("乙公司募资9亿元", ["正文二，完整。"]), ("丙公司奠基", ["正文三，完整。"])]
    assert [c.before for c in log.changes if c.rule == "title_from_line"] == ["乙公司募资9亿"]


def test_each_section_opens_with_its_articles_their_pages_and_a_line_of_each(model_2025_08):
    """The section's opening page is worth its page: the articles, each with its page (a
    target-counter on the article's id) and the start of its first sentence, quoted as written."""
    from pipeline.render.xhtml import XHTML, html_document
    issue = model_2025_08[0]
    html = html_document(issue, "styles/screen.css", "screen")
    openers = html.findall(f".//{{{XHTML}}}header[@class]")
    openers = [o for o in openers if "section-opener" in o.get("class")]
    assert len(openers) == len(issue.sections) == 6
    for opener, section in zip(openers, issue.sections):
        items = opener.findall(f".//{{{XHTML}}}li")
        assert [i[0].get("data-target") for i in items] == [f"#{a.id}" for a in section.articles]
        for item, a in zip(items, section.articles):
            ledes = item.findall(f"{{{XHTML}}}p")
            first = next(b.text for b in a.blocks if getattr(b, "role", "") == "body" and b.text.strip()) if ledes else ""
            for p in ledes:          # a quotation of the article's own first words, cut with …
                quoted = p.text.replace("\u2005", "").rstrip("…")
                assert " ".join(first.split()).replace("\u2005", "").startswith(quoted), (quoted, first[:60])
