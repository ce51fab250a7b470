"""The report an editor reads (pipeline/report.py): in the issue's language, warnings first with a
fix to paste, each change as what changed, bulk rules as counts with examples."""
import tomllib

from lxml import html as lxml_html

from pipeline.report import BULK, EXAMPLES, _html, diff_pieces, fix_text

RAW = ["# 天堂之芯", "", "**公共技术服务**", "正文第一段，讲的是芯片。"]


def data(changes=(), warnings=()):
    return {"issue": "2025-08", "title": "天堂之芯", "pages": {"screen": 3}, "editions": {},
            "structure": {"sections": []}, "figures": [], "dropped": [], "warnings": list(warnings),
            "changes": list(changes), "changes_by_rule": {r: sum(1 for c in changes if c["rule"] == r)
                                                           for r in dict.fromkeys(c["rule"] for c in changes)}}


def test_a_change_shows_what_was_removed_and_inserted_with_a_little_context():
    before = "全球数据中心电力需求将以每年15%的复合增长率增长，到2030年达到顶峰"
    after = before.replace("15%", "15 %")
    pieces = diff_pieces(before, after, context=4)
    assert ("ins", " ") in pieces and not [p for p in pieces if p[0] == "del"]
    shown = "".join(t for _, t in pieces)
    assert len(shown) < len(after) and "…" in shown and "15 %" in shown
    assert diff_pieces("甲乙", "甲丙乙") == [("", "甲"), ("ins", "丙"), ("", "乙")]


def test_the_fix_offered_for_a_warning_parses_and_expects_the_text_at_its_lines():
    fix = tomllib.loads(fix_text("3", RAW, "join"))["fix"][0]
    assert fix == {"lines": "3", "expect": "公共技术服务", "action": "join", "why": ""}


def test_the_report_is_in_chinese_with_contents_warnings_first_and_bulk_rules_collapsed():
    bulk = sorted(BULK)[0]
    changes = [{"rule": bulk, "lines": str(k), "before": f"第{k}年2025", "after": f"第{k}年 2025"}
               for k in range(1, 11)]
    changes.append({"rule": "join_page_breaks", "lines": "3", "before": "甲\n乙", "after": "甲乙", "joined": "3→4"})
    page = lxml_html.fromstring(_html(data(changes, [{"rule": "join_page_breaks", "lines": "3",
                                                      "message": "text ends without punctuation"}]), RAW, "zh-CN"))
    assert page.get("lang") == "zh-CN" and page.findtext(".//h1").startswith("构建报告")
    headings = [h.text_content() for h in page.iter("h2")]
    assert headings[0] == "目录" and headings[1].startswith("警告")
    assert [a.get("href") for a in page.findall(".//nav//a")][0] == "#warnings"
    assert all(th.get("scope") == "col" for th in page.iter("th"))
    assert "公共技术服务" in page.findtext(".//pre")
    boxes = {d.get("id"): d for d in page.iter("details")}
    assert boxes[f"rule-{bulk}"].get("open") is None
    assert len(boxes[f"rule-{bulk}"].findall(".//tbody/tr")) == EXAMPLES
    joined = boxes["rule-join_page_breaks"]
    assert joined.get("open") == "open" and joined.find(".//del").text == "\n"


def test_an_english_issue_gets_an_english_report():
    page = lxml_html.fromstring(_html(data(), RAW, "en"))
    assert page.get("lang") == "en" and page.findtext(".//h1").startswith("Build report")


def test_what_every_reason_ends_with_is_said_once():
    from pipeline.report import _common_tail
    reasons = ["the text of a picture (fixes.toml: `keep` shows it)", "a caption (fixes.toml: `keep` shows it)"]
    assert _common_tail(reasons) == " (fixes.toml: `keep` shows it)"
    assert _common_tail(reasons + ["a caption (other)"]) == ""
    assert _common_tail(["no parenthesis at all"]) == ""


def test_warnings_and_drops_say_what_they_mean_in_chinese_above_their_particulars():
    d = data(warnings=[{"rule": "join_page_breaks", "lines": "3", "message": "text ends without punctuation",
                        "print_page": 2, "screen_page": 2},
                       {"rule": "some.new_rule", "lines": None, "message": "a rule with no words here"}])
    d["editions"] = {"2025-08.pdf": {"bytes": 1, "sha256": "0"}}
    d["dropped"] = [{"rule": "running_heads", "lines": "9", "text": "天堂之芯 2025", "reason": "running head of a printed page"}]
    page = lxml_html.fromstring(_html(d, RAW, "zh-CN"))
    cells = [td.text_content() for td in page.iter("td")]
    assert any(c.startswith("段末没有标点") and c.endswith("text ends without punctuation") for c in cells)
    assert "a rule with no words here" in cells               # no gist: the particulars alone
    assert any(c.startswith("原刊页眉") and "running head" in c for c in cells)
    assert [a.get("href") for a in page.iter("a") if "pdf" in (a.get("href") or "")] == ["2025-08.pdf#page=2"]
    english = lxml_html.fromstring(_html(d, RAW, "en"))
    assert "原刊页眉" not in english.text_content() and "段末" not in english.text_content()
