import copy

from pipeline.clean import clean
from pipeline.context import Context
from pipeline.model import Log, Paragraph
from pipeline.read import read_blocks


def run(text, magazine=None):
    log = Log()
    blocks = read_blocks(text, log)
    return clean(blocks, Context(log=log, magazine=magazine or {})), log


def test_paragraph_cut_at_a_page_break_is_joined_without_space():
    text = ("项目建成后，将形成年产 2.64 亿套移动终\n\n\n\n"
            "端及车规级射频模块的生产能力，进一步完善产业布局。\n")
    blocks, log = run(text)
    assert len(blocks) == 1
    assert blocks[0].text == "项目建成后，将形成年产2.64亿套移动终端及车规级射频模块的生产能力，进一步完善产业布局。"
    assert any(c.rule == "join_page_breaks" for c in log.changes)


def test_join_skips_a_table_between_the_halves():
    text = ("凭借自主开发的工艺平台和创新的器件设计能力，已达到与\n\n甲\t1\n乙\t2\n\n"
            "全球行业领导者相当的性能指标。\n")
    blocks, _ = run(text)
    assert blocks[0].text.endswith("已达到与全球行业领导者相当的性能指标。")
    assert len(blocks) == 2


def test_no_join_after_a_real_sentence_end_or_into_a_heading_or_list():
    text = ("这是一个完整的句子，到此结束。\n\n后面是另一段，也完整。\n\n"
            "这一段没有结束，后面却是标题\n\n## 下一篇文章\n\n新文章的正文，开始了。\n\n"
            "列表前的一段，没有句号\n\n- 列表项目\n")
    blocks, _ = run(text)
    assert [b.text for b in blocks if isinstance(b, Paragraph)][:2] == [
        "这是一个完整的句子，到此结束。", "后面是另一段，也完整。"]
    assert "新文章的正文，开始了。" in [b.text for b in blocks]


def test_short_title_lines_are_not_joined():
    blocks, _ = run("主办单位：\n\n杭州国家“芯火”双创基地（平台）\n\n浙江省半导体行业协会\n")
    assert [b.text for b in blocks] == ["主办单位：", "杭州国家“芯火”双创基地（平台）", "浙江省半导体行业协会"]


def test_punctuation_and_spacing_house_style():
    blocks, _ = run("平台(平台)由工信部批复, 依托 2025 年的基地。GPU CPO, 国内首创。营收 1,688,426 元, 时间 10:30。\n")
    t = blocks[0].text
    assert "平台（平台）由工信部批复，依托2025年的基地" in t
    assert "GPU CPO，国内首创" in t
    assert "1,688,426元，时间10:30" in t
    # a bracket made full width takes no space beside it (2025-08 raw 1650)
    blocks, _ = run("台积电为高性能大规模逻辑 (FPGA、GPU 等) 提供了“CoWoS (晶圆上芯片)”封装技术。\n")
    assert blocks[0].text == "台积电为高性能大规模逻辑（FPGA、GPU等）提供了“CoWoS（晶圆上芯片）”封装技术。"


def test_english_sentences_keep_half_width_punctuation():
    src = "JEDEC Solid State Technology Association, the global leader, today announced it.\n"
    blocks, _ = run(src)
    assert blocks[0].text == src.strip()


def test_numbered_items_become_an_ordered_list():
    blocks, _ = run("- 1、高 EUV 吸收能力；\n\n- 2、高能量利用效率；\n\n- 3、分子尺度的均一性。\n")
    assert len(blocks) == 1 and blocks[0].ordered and blocks[0].start == 1
    assert blocks[0].text.split("\n")[0] == "高EUV吸收能力；"


def test_disclaimer_copies_are_dropped_and_reported():
    mag = {"disclaimer": "《天堂之芯》杂志转载的文章内容系作者个人观点，仅为传达不同的观点，不代表本杂志对该观点的态度。"}
    text = "\\*免责声明:\n\n《天堂之芯》杂志转载的文章内容系作者个人观点, 仅为传达不同的观点, 不代表本杂志对该观点的态度。\n"
    blocks, log = run(text, mag)
    assert blocks == []
    assert len(log.drops) == 2


def test_rules_are_idempotent_on_the_real_issue(raw_2025_08):
    """Cleaning what the clean stage made (with the editor's fixes) changes nothing."""
    from pipeline.fixes import apply_fixes
    from pipeline.sources import load_source
    from helpers import ISSUE
    src = load_source(ISSUE)
    log = Log()
    blocks = apply_fixes(read_blocks(raw_2025_08, log), src.fixes, "fixes.toml", Context(log=log))
    blocks = clean(blocks, Context(log=log, magazine=src.magazine))
    again = copy.deepcopy(blocks)
    log = Log()
    cleaned = clean(again, Context(log=log))
    assert [b.text for b in cleaned] == [b.text for b in blocks]
    assert [c.rule for c in log.changes] == []


def test_a_rule_can_be_switched_off():
    log = Log()
    blocks = read_blocks("依托 2025 年的基地。\n", log)
    out = clean(blocks, Context(log=log, disabled={"han_latin_spacing"}))
    assert out[0].text == "依托 2025 年的基地。"


def test_screenshot_text_is_not_joined_into_prose():
    text = ("申报人员所在单位登录职称管理服务平台，负责对\n\n"
            "首页 通知公告 职称评审 职称认定 评审委员会 帮助中心\n\n"
            "查询结果\n")
    blocks, log = run(text)
    assert [b.text for b in blocks] == ["申报人员所在单位登录职称管理服务平台，负责对"]
    assert [(d.rule, d.text) for d in log.drops] == [
        ("screenshot_text", "首页 通知公告 职称评审 职称认定 评审委员会 帮助中心"),
        ("screenshot_text", "查询结果")]
    assert any(w.rule == "join_page_breaks" for w in log.warnings)


LEAD = ("公司成立于二零零八年，总部位于杭州，是一家专注于模拟与混合信号芯片设计的企业。"
        "公司为客户提供电源管理芯片、功率器件及相关解决方案，产品广泛应用于手机、平板电脑、"
        "笔记本电脑、汽车电子和工业控制等领域。近年来，公司持续加大研发投入，构建了完整的"
        "产品线，并与多家国内外知名企业建立了长期稳定的合作关系，为行业提供可靠的产品。\n\n")


def test_a_fragment_out_of_reading_order_is_moved_to_its_head():
    # a two-column page as the extractor read it (2025-08, raw 781-801)
    text = LEAD + ("排名\t公司\n1\t公司A\n\n全球行业领导者相当的性能指标。\n\n"
                   "芯迈半导体为汽车电子、工业应用和数据中心等各行业客户提\n\n"
                   "在显示领域，芯迈半导体主要为显示面板提供电源管理芯片。\n\n"
                   "在功率器件领域，凭借自主开发的工艺平台和创新的器件设计能力，已达到与\n\n"
                   "供产品，来自五大客户的收入分别占总收入的66.7%。\n")
    blocks, log = run(text)
    texts = [b.text for b in blocks if isinstance(b, Paragraph)][1:]
    # the two paragraphs that stood inside the cut sentence are the other column's: its last
    # sentence goes on where the page began, so they stand there (clean/columns.py)
    assert texts == ["在显示领域，芯迈半导体主要为显示面板提供电源管理芯片。",
                     "在功率器件领域，凭借自主开发的工艺平台和创新的器件设计能力，已达到与全球行业领导者相当的性能指标。",
                     "芯迈半导体为汽车电子、工业应用和数据中心等各行业客户提供产品，来自五大客户的收入分别占总收入的66.7%。"]
    assert sorted(c.rule for c in log.changes if c.link) == ["join_page_breaks", "reorder_fragments"]
    assert [c.rule for c in log.changes if c.rule == "column_blocks"] == ["column_blocks"]


def test_a_cut_goes_on_after_a_slide_when_the_bracket_closes_there():
    text = ("2025年7月16日，杭州国家“芯火”双创基地（平\n\n内部资料严禁外传！\n\n# 申报政策解读\n\n"
            "时间：2025年7月16日\n\n台)联合浙江省半导体行业协会成功举办解读会，吸引了数百人参加。\n")
    blocks, _ = run(text)
    assert blocks[0].text.endswith("（平台）联合浙江省半导体行业协会成功举办解读会，吸引了数百人参加。")


def test_a_word_rejoined_beats_the_nearest_paragraph():
    # 提|供 is a word the text uses; 提|在 is not (the evidence needs a text of
    # some length, as an issue is: a lead paragraph gives it)
    text = LEAD + ("芯迈半导体为汽车电子、工业应用和数据中心等各行业客户提供服务，并为客户提\n\n"
            "在显示领域，芯迈半导体主要为显示面板提供电源管理芯片。\n\n"
            "供产品，来自五大客户的收入分别占总收入的66.7%。\n")
    blocks, _ = run(text)
    assert blocks[1].text.endswith("客户提供产品，来自五大客户的收入分别占总收入的66.7%。")
    assert blocks[2].text.startswith("在显示领域")


def test_a_cut_list_item_takes_its_continuation():
    text = ("1. 加强顶层设计。省科技厅负责全省概念验证中心规划布局。\n"
            "2. 加强协同联动。压实地方政府的管理主体责任，根据区域、行业高质量发展需求，\n\n"
            "强化专项政策支持和要素保障。\n\n3. 压实主体责任。建立评价考核体系。\n")
    blocks, _ = run(text)
    assert len(blocks) == 1 and blocks[0].ordered
    assert blocks[0].text.split("\n")[1].endswith("发展需求，强化专项政策支持和要素保障。")


def test_noise_rules_drop_descriptions_and_redaction_marks_and_caption_table_titles():
    text = ("正文第一段，说明情况。\n\n"
            "Table of Contents with page numbers for chapters 1-7.\n\n"
            "Table of Contents with page numbers for chapters 2-7.\n\n"
            "[編纂]\n\n面值：每股H股人民幣0.1元  \n[編纂]\n\n"
            "国内三大 EDA 上市公司\n\n公司\t营收\n华大九天\t10\n\n"
            "© Yole Group 2025\n\n"
            "▲ 2022 年~2024 年营收情况\n\n"
            "TSMCのSoW(左)とCerebrasのWSE(右)\n")
    blocks, log = run(text)
    dropped = [(d.rule, d.text) for d in log.drops]
    assert ("image_descriptions", "Table of Contents with page numbers for chapters 1-7.") in dropped
    assert ("redaction_marks", "[編纂]") in dropped
    roles = {b.text: b.role for b in blocks if isinstance(b, Paragraph)}
    assert roles["面值：每股H股人民幣0.1元"] == "body"
    assert roles["国内三大EDA上市公司"] == "caption"
    assert roles["▲ 2022年~2024年营收情况"] == "caption"
    assert roles["© Yole Group 2025"] == "figure-text"
    assert roles["TSMCのSoW(左)とCerebrasのWSE(右)"] == "caption"
    # nothing else was dropped: the English press release style text stays
    assert len(dropped) == 4


def test_a_long_english_passage_is_prose_not_image_text():
    src = ("JEDEC Solid State Technology Association, the global leader in standards development, "
           "today announced the publication of JESD209-6. The new standard represents a significant advancement.\n")
    blocks, _ = run(src)
    assert blocks[0].role == "body"


def test_a_lone_zero_padded_item_is_a_sub_heading_but_a_list_stays_a_list():
    from pipeline.model import Heading, ListBlock
    blocks, log = run("正文，完整。\n\n04. 小米、宁德时代、国家大基金二期均持股\n\n正文二，完整。\n\n"
                      "1. 加强顶层设计。\n2. 加强协同联动。\n")
    assert isinstance(blocks[1], Heading) and blocks[1].text == "04. 小米、宁德时代、国家大基金二期均持股"
    assert isinstance(blocks[3], ListBlock) and blocks[3].ordered and len(blocks[3].items) == 2


def _recut(raw, head, tail, between="\n\n"):
    k = raw.index(head + tail) + len(head)
    return raw[:k] + "\n\n" + between + "\n\n" + raw[k:]


def test_a_cut_in_a_first_clause_joins_when_the_issue_never_breaks_a_clause_there(raw_2025_08):
    # "募集" ends no clause and "领域" begins none anywhere else in the issue
    # (each is seen a dozen times or more): the short head is no title
    raw = _recut(raw_2025_08, "根据甬矽电子此前发布的募集", "说明书")
    raw = _recut(raw, "其电源管理 IC 产品主要涵盖通讯和显示", "领域")
    blocks, log = run(raw)
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert any(t.startswith("根据甬矽电子此前发布的募集说明书，") for t in texts)
    assert any("主要涵盖通讯和显示领域，功率器件" in t for t in texts)
    # a title before prose stays a title: its words end clauses elsewhere too
    assert "DPO和LPO的区别" in texts


def test_a_two_character_sentence_opens_no_paragraph(raw_2025_08):
    raw = _recut(raw_2025_08, "英伟达从光学转向铜是一个主要讨论", "话题", "甲\t1\n乙\t2")
    blocks, _ = run(raw)
    assert any(b.text.startswith("英伟达从光学转向铜是一个主要讨论话题。") for b in blocks if isinstance(b, Paragraph))


def test_captions_known_by_what_they_say(raw_2025_08):
    # lines of 2025-08 that the fixture's readers marked as photo and figure
    # captions, each between finished prose and prose
    prose_a = "科技部表示，将加快推进概念验证、中试验证平台建设。\n\n"
    prose_b = "一是强化企业创新主体地位，加强企业主导的产学研深度融合。\n\n"
    lines = ["科技部七司副司长秦浩源",                                     # a post and a name
             "带有中间基板的多芯片模块(MCM)(左)与 InFO\\_SoW(右)的比较",     # (左) (右)
             "测试中检测到的故障核心通过布线与冗余核心互换。左侧为未检测到故障核心的情况",
             "聚碲氧烷：理想的 EUV 光刻胶材料"]                               # "X：Y" is no field
    for line in lines:
        assert line.replace("\\", "") in raw_2025_08.replace("\\", "")
        blocks, _ = run(prose_a + line + "\n\n" + prose_b)
        assert [b.role for b in blocks] == ["body", "caption", "body"], line
    # but a field of a notice stays text, and a cut sentence still joins
    blocks, _ = run(prose_a + "地址：杭州市滨江区六和路368号\n\n" + prose_b)
    assert [b.role for b in blocks] == ["body", "body", "body"]


def test_a_chart_title_with_its_units_is_a_caption_not_a_heading():
    blocks, _ = run("正文一段，到此结束。\n\n### 芯迈半导体营收、年内利润、研发支出变化（单位：亿元）\n\n"
                    "▲ 2022 年~2024 年芯迈半导体的营收变化\n")
    assert isinstance(blocks[1], Paragraph) and blocks[1].role == "caption"


def test_an_english_heading_is_a_slide_title_unless_prose_or_a_chinese_heading_goes_with_it():
    text = ("正文一段，到此结束。\n\n### Redundancy is Your Friend\n\n"
            "- Redundant cores replace defective cores\n\n"
            "# 目录\n\n## CONTENTS\n\n### 芯动态\n\n"
            "### JEDEC® Releases New LPDDR6 Standard\n\n"
            "JEDEC Solid State Technology Association, the global leader in standards development, "
            "today announced the publication of JESD209-6. The new standard represents a significant advancement.\n")
    blocks, log = run(text)
    roles = {b.text: (type(b).__name__, getattr(b, "role", None)) for b in blocks}
    assert roles["Redundancy is Your Friend"] == ("Paragraph", "figure-text")
    assert roles["CONTENTS"][0] == "Heading"
    assert roles["JEDEC® Releases New LPDDR6 Standard"][0] == "Heading"


def test_what_stood_inside_a_cut_sentence_is_not_the_articles_text():
    # the shapes of 2025-08 raw 1350-1370 and 1754-1794: a slide's headings
    # and a table's title, then figure titles, between the halves of a sentence
    text = ("如上图所示，借助先进封装，CPO 技术避开了 BGA 和 LGA 的管脚密度的限\n\n"
            "## CPO vs 传统光模块\n\n### 全球铜价走势\n\n年份\t价格\n2011年\t7000\n\n"
            "制，并以更短的导线驱动收发器，显著减少通道损耗。\n\n"
            "台积电还在开发下一代 InFO\\_SoW 技术，称之为\n\n- Higher BW density (2x)\n\n"
            "InFO\\_SoW 技术的基本性能\n\n台积电的先进封装技术及其名称\n\n"
            "“SoW-X (eXtreme)”。台积电最近还将之前开发的 InFO\\_SoW 技术更名为 “SoW-P”。\n")
    blocks, log = run(text)
    texts = [b.text for b in blocks if isinstance(b, Paragraph) and b.role == "body"]
    assert texts == ["如上图所示，借助先进封装，CPO技术避开了BGA和LGA的管脚密度的限制，并以更短的导线驱动收发器，显著减少通道损耗。",
                     "台积电还在开发下一代InFO_SoW技术，称之为“SoW-X (eXtreme)”。台积电最近还将之前开发的InFO_SoW技术更名为“SoW-P”。"]
    roles = {b.text: b.role for b in blocks if isinstance(b, Paragraph) and b.role != "body"}
    assert roles == {"CPO vs传统光模块": "figure-text", "全球铜价走势": "caption",   # the table's title
                     "InFO_SoW技术的基本性能": "caption", "台积电的先进封装技术及其名称": "caption"}
    # the table's title is known before the join (a heading right above a table)
    assert sum(c.rule == "stranded_text" for c in log.changes) == 3


def test_a_line_shaped_like_two_sibling_headings_is_their_sibling():
    text = ("### 2024 年，是全球集成电路产业全面复苏之年\n\n在消费电子回暖的驱动下，全球产业复苏。\n\n"
            "### 2024 年，是中国集成电路产业逆势突围之年\n\n尽管面临压力，中国产业实现增长。\n\n"
            "2024年，是浙江集成电路产业奋楫争先之年\n\n浙江省通过优化产业生态，实现了较快增长。\n")
    blocks, _ = run(text)
    from pipeline.model import Heading
    assert [b.level for b in blocks if isinstance(b, Heading)] == [3, 3, 3]
    assert sum(isinstance(b, Paragraph) for b in blocks) == 3


def test_a_line_in_traditional_script_is_tagged_and_a_label_set_as_image_text():
    blocks, _ = run("正文一段，到此结束。\n\n（於中華人民共和國註冊成立的股份有限公司）\n\n"
                    "同期，前五大供應商的採購額分別占芯邁半導體相應年度總採購額的 86.8%。\n")
    assert [(b.role, b.lang) for b in blocks] == [("body", None), ("figure-text", "zh-Hant"), ("body", "zh-Hant")]


def test_cuts_at_numbers_brackets_and_names_rejoin(raw_2025_08):
    # each is a real sentence of 2025-08, cut where a printed line might end,
    # with a running head or a small table between the halves
    cuts = [("其中，出口 13 万亿元，增长 7.2", "%；进口"),                 # a percentage sign opens nothing
            ("广东先导稀材股份有限公司持股46.", "96%"),                     # a decimal point
            ("计划向特定对象发行的股票不超过7959", ".62万股"),
            ("于 1980 年发明的 I2C（", "Inter-Integrated"),                 # a bracket opened at the end
            ("采用创新驱动的 Fab-Lite 集成器件制造商", "（IDM）"),          # a gloss of the word before
            ("要以更加积极主动的姿态融入并丰富 RISC", "-V 全球生态"),       # a hyphenated name
            ("中国 EDA 行业起步", "于 20 世纪"),                            # no paragraph opens on 于
            ("芜湖市人民政府副市长曹", "小明作市情推介"),                   # a post, then half a name
            ("具有创新力、专注力、成长力、品牌影响力的“新势力”", "企业，为杭州市")]   # a quotation closes a word
    for k, (head, tail) in enumerate(cuts):
        raw = _recut(raw_2025_08.replace("\\", ""), head, tail, ["天堂之芯", "甲\t1\n乙\t2"][k % 2])
        blocks, _ = run(raw)
        squash = lambda t: "".join(t.split())
        assert any(squash(head + tail) in squash(b.text) for b in blocks if isinstance(b, Paragraph)), head


def test_a_sentence_closed_before_a_bracket_is_not_reopened():
    blocks, _ = run("加快推动企业提升产学研合作和协同创新能力。（责任单位：市科技局）\n\n"
                    "支持企业参与标准制定，按有关政策给予奖励。（责任单位：市市场监管局）\n")
    assert len(blocks) == 2


def test_numbered_references_ending_with_their_dates_stay_apart():
    # the shape of ../shared/corpus (another extractor, a research report)
    text = ("1.《高测股份（688556)：光伏金刚线及硅片切割代工业务推动公司22Q1业绩大超预期》，2022.4.29\n\n"
            "2.《光伏设备：光伏高效电池扩产提速，关键设备商各领风骚》，2022.4.10\n\n"
            "3.《高测股份（688556.SH)：再签建湖10GW硅片切割代工产能，强化代工业务成长逻辑》，2022.4.7\n\n"
            "# 投资要点\n\n顺应下游需求扩张，金刚线产能快速扩产，保证公司内供+外销。\n")
    blocks, log = run(text)
    assert not [c for c in log.changes if c.rule == "join_page_breaks"]
    assert len(blocks) == 5


def test_a_two_character_clause_no_sentence_of_the_issue_opens_with_is_a_tail(raw_2025_08):
    # "数据，" opens no sentence in 2025-08 ("目前，", "此外，" open many): the
    # paragraph "数据，目前…" is the rest of a cut one, even after a short head
    import tomllib
    from helpers import ROOT
    magazine = tomllib.loads((ROOT / "sources" / "magazine.toml").read_text(encoding="utf-8"))
    raw = _recut(raw_2025_08, "据RISC-V国际基金会的最新", "数据", "芯资讯")   # a section's running head
    raw = _recut(raw, "芯迈半导体采用创新驱动的 Fab-", "Lite")
    blocks, _ = run(raw, magazine)
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert any(t.startswith("据RISC-V国际基金会的最新数据，") for t in texts)
    assert any(t.startswith("芯迈半导体采用创新驱动的Fab-Lite集成器件制造商") for t in texts)


def test_a_word_cut_in_two_is_told_by_how_often_the_issue_uses_it(raw_2025_08):
    from pipeline.clean.junction import HanStats
    blocks, _ = run(raw_2025_08)
    stats = HanStats.of(blocks)
    assert stats.surprise("试", "点") >= 3      # 试点: seen 6 times where 0.4 are expected
    assert stats.surprise("产", "工") < 1.3     # 产|工: chance neighbours


def test_english_and_traditional_text_is_tagged_with_its_language():
    blocks, log = run("正文一段，到此结束。\n\n"
                      "- Redundant cores replace defective cores\n- Extra links reconnect fabric\n\n"
                      "2020 IEEE 70th Electronic Components and Technology Conference\n\n"
                      "（於中華人民共和國註冊成立的股份有限公司）\n\n"
                      "TSMCのSoW(左)とCerebrasのWSE(右)\n")
    assert [getattr(b, "lang", None) for b in blocks] == [None, "en", "en", "zh-Hant", "ja"]
    # each item's block (merged into one list later), the English line, the Traditional one
    assert sum(c.rule == "language_tags" for c in log.changes) == 4


def test_numbered_lists_are_merged_only_where_the_numbers_run_on():
    from helpers import run_rules
    blocks, _ = run_rules("1. 甲\n\n2. 乙\n\n1. 丙\n\n2. 丁", only=["merge_lists"])
    assert [(b.start, b.text) for b in blocks] == [(1, "甲\n乙"), (1, "丙\n丁")]


def _pages(n, footer):
    """n pages of a text, each ending in the footer the PDF printed (numbered where it has {k})."""
    return "\n\n".join(f"第{k}段正文，讲的是第{k}件事。\n\n" + footer.format(k=k, n=n) for k in range(1, n + 1))


def test_a_footer_or_watermark_repeated_page_after_page_goes_with_a_report_entry():
    from helpers import run_rules
    blocks, log = run_rules(_pages(5, "资料整理【某某店铺：向阳】"), only=["repeated_lines"])
    assert [b.text for b in blocks] == [f"第{k}段正文，讲的是第{k}件事。" for k in range(1, 6)]
    assert [d.text for d in log.drops] == ["资料整理【某某店铺：向阳】"] * 5


def test_a_page_counter_is_furniture_whatever_its_numbers():
    from helpers import run_rules
    blocks, log = run_rules(_pages(4, "第{k}頁，共計{n}頁"), only=["repeated_lines"])
    assert len(blocks) == 4 and not any("頁" in b.text for b in blocks)
    assert [d.text for d in log.drops] == ["第1頁，共計4頁", "第2頁，共計4頁", "第3頁，共計4頁", "第4頁，共計4頁"]


def test_furniture_glued_to_the_text_is_taken_off_and_a_line_inside_a_paragraph_too():
    from helpers import run_rules
    text = _pages(3, "资料整理【某某店铺：向阳】") + "\n\n最后一页，求最小值资料整理【某某店铺：向阳】\n\n甲行  \n资料整理【某某店铺：向阳】  \n乙行"
    blocks, log = run_rules(text, only=["repeated_lines"])
    assert [b.text for b in blocks][-2:] == ["最后一页，求最小值", "甲行\n乙行"]
    assert len(log.drops) == 5


def test_lines_that_repeat_for_a_reason_stay():
    from helpers import run_rules
    # articles that share a source; a label repeated close together (in one table's worth of text)
    text = (_pages(3, "（来源：半导体行业观察）") + "\n\n截至12月31日止年度\n\n一\n\n截至12月31日止年度\n\n二\n\n截至12月31日止年度"
            + "\n\n" + "\n\n".join(f"后文第{k}段。" for k in range(30)))
    blocks, log = run_rules(text, only=["repeated_lines"])
    assert not log.drops
