"""Contents pages in the shapes extractors write them: the entry shape is read
from the page itself, page numbers are never part of a title, and sections
come from the page's own outline."""
from pipeline.clean import clean
from pipeline.context import Context
from pipeline.contents import find_contents, kind_of
from pipeline.model import Log, Meta
from pipeline.read import read_blocks, source_lines
from pipeline.structure import build_issue

META = Meta("t", "示例", "Sample", "zh-CN", "2025-09", "出版者", "urn:uuid:x")


def contents(text, language="zh-CN"):
    log = Log()
    blocks = clean(read_blocks(text, log), Context(log=log, magazine={}, language=language))
    return find_contents(blocks, source=source_lines(text))


def model(text, language="zh-CN", magazine=None):
    log = Log()
    ctx = Context(log=log, magazine=magazine or {}, language=language, source=source_lines(text))
    meta = Meta("t", "示例", "Sample", language, "2025-09", "出版者", "urn:uuid:x")
    return build_issue(clean(read_blocks(text, log), ctx), meta, magazine or {}, ctx), log


def entries(found):
    return [(e.section, e.title, e.page) for e in found.entries]


def test_plain_lines_ending_in_a_page_number_are_entries_and_the_number_is_not_title():
    found = contents("# 目录\n\n23.1 多边形(1) 2\n23.2 多边形(2) 5\n23.3 圆 9\n\n# 23.1 多边形(1)\n\n正文。")
    assert entries(found) == [("", "23.1 多边形(1)", 2), ("", "23.2 多边形(2)", 5), ("", "23.3 圆", 9)]


def test_a_number_run_into_the_title_ends_at_the_last_space():
    found = contents("# 目 录\n\n1.退位减法 1\n2.进位加法 12\n3.认识钟表 20\n\n# 1.退位减法\n\n正文。")
    assert entries(found) == [("", "1.退位减法", 1), ("", "2.进位加法", 12), ("", "3.认识钟表", 20)]


def test_chapters_with_sections_under_them_are_the_sections():
    text = ("# 目录\n\n第一章 绪论 1\n1.1 研究背景 1\n1.2 研究意义 3\n第二章 文献综述 7\n2.1 国内研究 7\n"
            "2.2 国外研究 10\n参考文献 30\n\n# 第一章 绪论\n\n# 1.1 研究背景\n\n背景。")
    found = contents(text)
    assert [(g.title, g.page) for g in found.groups] == [("第一章 绪论", 1), ("第二章 文献综述", 7)]
    assert entries(found) == [("第一章 绪论", "1.1 研究背景", 1), ("第一章 绪论", "1.2 研究意义", 3),
                              ("第二章 文献综述", "2.1 国内研究", 7), ("第二章 文献综述", "2.2 国外研究", 10),
                              ("", "参考文献", 30)]


def test_dot_leaders_with_spaces_among_them_and_a_group_line_without_a_page():
    text = ("# CONTENTS\n\n# Page\n\nA. STRATEGIC CONTEXT .\n1. Country issues.... . 1\n2. Rationale .. ... 2\n"
            "B. PROJECT DESCRIPTION.. ... 4\n1. Components.. ... 4\nAnnex 1: Background . 18\nAnnex 2: Costs.. 21\n"
            "\n# A. STRATEGIC CONTEXT\n\nText.")
    found = contents(text, "en")
    assert [(g.title, g.page) for g in found.groups] == [("A. STRATEGIC CONTEXT", None), ("B. PROJECT DESCRIPTION", 4)]
    assert entries(found) == [("A. STRATEGIC CONTEXT", "1. Country issues", 1), ("A. STRATEGIC CONTEXT", "2. Rationale", 2),
                              ("B. PROJECT DESCRIPTION", "1. Components", 4),
                              ("", "Annex 1: Background", 18), ("", "Annex 2: Costs", 21)]


def test_a_contents_page_set_as_a_table():
    text = ("# 目录\n\n<table><tr><td>第一单元 加法</td><td>1</td></tr><tr><td>1. 十以内加法</td><td>2</td></tr>"
            "<tr><td>2. 二十以内加法</td><td>6</td></tr><tr><td>第二单元 减法</td><td>11</td></tr>"
            "<tr><td>1. 十以内减法</td><td>12</td></tr></table>\n\n# 第一单元 加法\n\n正文。")
    found = contents(text)
    assert [g.title for g in found.groups] == ["第一单元 加法", "第二单元 减法"]
    assert entries(found) == [("第一单元 加法", "1. 十以内加法", 2), ("第一单元 加法", "2. 二十以内加法", 6),
                              ("第二单元 减法", "1. 十以内减法", 12)]


def test_a_contents_page_over_two_pages_is_read_to_its_end():
    text = ("# 目录\n\n1.退位减法 1\n2.进位加法 12\n\n# 目录\n\n3.认识钟表 20\n4.认识人民币 26\n\n"
            "# 1.退位减法\n\n正文。")
    found = contents(text)
    assert [e.page for e in found.entries] == [1, 12, 20, 26]
    assert found.head == 0


def test_a_contents_page_without_a_heading_is_found_by_its_shape():
    text = ("示例月刊 第3期\n\n要闻 1\n观点 5\n访谈 9\n专题 14\n书评 20\n\n# 要闻\n\n正文一段，很长的一段正文。\n\n"
            "# 观点\n\n正文。")
    found = contents(text)
    assert [e.title for e in found.entries] == ["要闻", "观点", "访谈", "专题", "书评"]


def test_prose_ending_in_a_number_is_no_contents_page():
    # sentences that end in figures, pages going back: no run of contents lines
    text = ("# 报告\n\n营业收入同比增长 20\n\n净利润为 3\n\n毛利率提高了 15\n\n员工人数达到 9\n\n门店数量 4\n\n"
            "# 结论\n\n正文。")
    assert contents(text) is None


def test_numbering_kinds():
    assert [kind_of(t) for t in ("第一章 绪论", "第3单元 图形", "A. Context", "Annex 4: Costs", "一、背景", "01题型·解读",
                                  "（二）方法", "2.1 数据", "3. 结果", "(4) 讨论", "参考文献")] == \
        ["chapter", "chapter", "letter", "annex", "han", "number", "han_paren", "decimal", "number", "number_paren", None]


def test_the_model_takes_sections_from_the_outline_and_keeps_text_under_a_section_heading():
    text = ("# 目录\n\n第一章 绪论 1\n1.1 研究背景 1\n1.2 研究意义 3\n第二章 方法 7\n2.1 数据 7\n附录 20\n\n"
            "# 第一章 绪论\n\n本章介绍研究的背景与意义。\n\n# 1.1 研究背景\n\n背景的正文。\n\n# 1.2 研究意义\n\n意义的正文。\n\n"
            "# 第二章 方法\n\n# 2.1 数据\n\n数据的正文。\n\n# 附录\n\n附录的正文。")
    issue, log = model(text)
    assert [(s.name, [a.title for a in s.articles]) for s in issue.sections] == [
        ("第一章 绪论", ["第一章 绪论", "1.1 研究背景", "1.2 研究意义"]),
        ("第二章 方法", ["2.1 数据"]),
        ("", ["附录"]),
    ]
    intro = issue.sections[0].articles[0]
    assert [b.text for b in intro.blocks] == ["本章介绍研究的背景与意义。"]
    assert [b.text for b in issue.sections[1].articles[0].blocks] == ["数据的正文。"]
    assert [w.rule for w in log.warnings if w.rule.startswith("structure")] == ["structure.section_text"]
    assert sorted(c.before for c in log.changes if c.rule == "structure.section_heading") == ["第一章 绪论", "第二章 方法"]


def test_latin_titles_keep_their_own_punctuation():
    text = ("# CONTENTS\n\nAnnex 1: Background . 18\nAnnex 2: Costs, Financing . 21\nAnnex 3: Maps . 25\n\n"
            "# Annex 1: Background\n\nText.\n\n# Annex 2: Costs, Financing\n\nText.\n\n# Annex 3: Maps\n\nText.")
    issue, _ = model(text, "en")
    assert [a.title for a in issue.articles] == ["Annex 1: Background", "Annex 2: Costs, Financing", "Annex 3: Maps"]


def test_an_article_whose_title_stands_as_a_plain_line_with_a_running_subtitle_glued_on():
    text = ("# CONTENTS\n\nAnnex 1: Background . 18\nAnnex 2: Project Preparation and Supervision . 21\n"
            "Annex 3: Maps . 25\n\n# Annex 1: Background\n\nText one.\n\n"
            "Annex 2: Project Preparation and Supervision MEXICO: Wind Umbrella (La Venta II)\n\nText two.\n\n"
            "# Annex 3: Maps\n\nText three.")
    issue, log = model(text, "en")
    assert [(a.title, [b.text for b in a.blocks]) for a in issue.articles] == [
        ("Annex 1: Background", ["Text one."]), ("Annex 2: Project Preparation and Supervision", ["Text two."]),
        ("Annex 3: Maps", ["Text three."])]
    assert not [w for w in log.warnings if w.rule == "structure.unmatched_entry"]


def test_a_one_article_document_has_no_contents_page_in_the_pdfs():
    from pipeline.render.xhtml import XHTML, html_document
    one, _ = model("# 证券分析师\n\n张三\n\n# 投资要点\n\n事件：公司拟投资。")
    two, _ = model("# 一、背景\n\n正文。\n\n# 二、方法\n\n正文。")
    navs = lambda issue: html_document(issue, "styles/screen.css", "screen").findall(f".//{{{XHTML}}}nav")
    assert len(one.articles) == 1 and navs(one) == []
    assert len(two.articles) == 2 and [n.get("id") for n in navs(two)] == ["contents"]
