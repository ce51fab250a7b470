import copy

from pipeline.clean import Context, clean
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
    blocks, _ = run(raw_2025_08)
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
    assert [b.text for b in blocks][1:] == ["首页 通知公告 职称评审 职称认定 评审委员会 帮助中心", "查询结果"]
    assert any(w.rule == "join_page_breaks" for w in log.warnings)
