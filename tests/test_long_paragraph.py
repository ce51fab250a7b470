"""Pathological paragraphs and texts (issue 14, item 8): a paragraph far longer
than any real one is broken at sentence ends with a warning, the text itself
unchanged; a text too long for one build is exit 2 before anything is laid out."""
import json
import re
import zipfile

import pytest

from helpers import make_issue
from pipeline import cli
from pipeline.clean.paragraphs import MAX_PARAGRAPH, break_points, split_runs
from pipeline.model import Run
from pipeline.read import MAX_TEXT

GOOD = ("# 天堂之芯\n\n# 目录\n\n### • 芯动态\n\n- ▲甲公司发布新品 — 01\n\n"
        "## 甲公司发布新品\n\n甲公司今天发布了新品，性能提升一倍。\n\n")
# real sentences of different lengths, so the breaks do not fall on a period of the test
SENTENCES = ("据业内人士介绍，先进封装已经成为延续摩尔定律的重要路径。", "芯片设计企业加大研发投入，",
             "今年上半年营收同比增长百分之三十七！", "这是否意味着行业拐点已经到来？", "专家认为仍需观察；",
             "国产设备的市场份额稳步提升。")


def chinese(n):
    """At least n characters of Chinese, ending at a sentence end."""
    text, k = "", 0
    while len(text) < n or text[-1] not in "。！？":
        text += SENTENCES[k % len(SENTENCES)] * (1 + k % 3)
        k += 1
    return text


def parts_of(text, cuts):
    at = [0] + [c for c, _ in cuts] + [len(text)]
    return [text[a:b] for a, b in zip(at, at[1:])]


def test_a_long_chinese_paragraph_breaks_at_sentence_ends_within_the_limit():
    text = chinese(50_000)
    cuts = break_points(text)
    parts = parts_of(text, cuts)
    assert "".join(parts) == text
    assert len(parts) >= 50_000 // MAX_PARAGRAPH + 1
    assert all(len(p) <= MAX_PARAGRAPH for p in parts)
    assert all(len(p) >= MAX_PARAGRAPH // 2 for p in parts[:-1])
    assert all(p[-1] in "。！？" for p in parts[:-1]), [p[-3:] for p in parts]
    assert {kind for _, kind in cuts} == {"sentence ends"}


def test_a_paragraph_under_the_limit_is_not_broken():
    assert break_points(chinese(MAX_PARAGRAPH)[:MAX_PARAGRAPH]) == []


def test_without_sentence_ends_it_breaks_at_clauses_then_commas_then_between_han_characters():
    assert {k for _, k in break_points("甲乙丙丁；" * 3000)} == {"clause ends"}
    assert {k for _, k in break_points("甲乙丙丁，" * 3000)} == {"commas"}
    han = "半导体产业链" * 3000
    cuts = break_points(han)
    assert cuts and {k for _, k in cuts} == {"character boundaries"}
    assert "".join(parts_of(han, cuts)) == han


def test_english_breaks_after_a_full_stop_and_its_space_never_inside_a_word_or_number():
    text = "Yields improved to 92.5 per cent in the third quarter. " * 400
    parts = parts_of(text, break_points(text))
    assert len(parts) > 1 and all(p.endswith("quarter. ") for p in parts[:-1])
    words = "semiconductor " * 1000           # no sentence end, no comma: between words
    parts = parts_of(words, break_points(words))
    assert len(parts) > 1 and all(p.endswith(" ") for p in parts[:-1])


def test_nothing_safe_to_break_leaves_it_whole_and_a_combining_mark_stays_with_its_letter():
    url = "https://example.com/" + "a" * 20_000
    assert break_points(url) == []
    marked = ("e\u0301" * 5000 + " ") * 2      # spaces; each e carries its accent
    for at, _ in break_points(marked):
        assert marked[at] != "\u0301"


def test_the_runs_keep_their_marks_across_a_break():
    runs = [Run("甲乙。", ()), Run("丙丁。", ("strong",)), Run("戊己。", ())]
    parts = split_runs(runs, [4, 7])
    assert [[(r.text, r.marks) for r in p] for p in parts] == [
        [("甲乙。", ()), ("丙", ("strong",))], [("丁。", ("strong",)), ("戊", ())], [("己。", ())]]


def build(capsys, folder, out, *more):
    code = cli.main(["build", str(folder), "--formats", "epub", "--out", str(out), *more])
    return code, capsys.readouterr()


def test_a_build_sets_a_long_paragraph_as_several_and_says_so(tmp_path, capsys):
    body = chinese(20_000)
    folder = make_issue(tmp_path, GOOD + body + "\n\n（来源：芯东西）\n")
    code, std = build(capsys, folder, tmp_path / "o")
    assert code == 0, std.err
    report = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    [w] = [w for w in report["warnings"] if w["rule"] == "long_paragraph"]
    line = GOOD.count("\n") + 1
    assert w["lines"] == str(line)
    assert f"{len(body):,} characters" in w["message"] and "the text is unchanged" in w["message"]
    n = int(re.search(r"set as (\d+) paragraphs", w["message"]).group(1))
    assert n == 4                               # 20,000 in parts of 3,000 to 6,000: 4 (5,000 each, about)
    changes = [c for c in report["changes"] if c["rule"] == "long_paragraph"]
    assert len(changes) == n - 1
    with zipfile.ZipFile(tmp_path / "o" / "test-01.epub") as z:
        xhtml = "".join(z.read(m).decode("utf-8") for m in z.namelist() if m.endswith(".xhtml"))
    paras = [p for p in re.findall(r"<p[^>]*>(.*?)</p>", xhtml, re.S) if len(p) > 1000]
    assert len(paras) == n and "".join(paras) == body


def test_fixes_can_switch_the_breaking_off(tmp_path, capsys):
    folder = make_issue(tmp_path, GOOD + chinese(7_000) + "\n",
                        fixes='[clean]\ndisable = ["long_paragraph"]\n')
    code, std = build(capsys, folder, tmp_path / "o")
    assert code == 0, std.err
    report = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    assert not [w for w in report["warnings"] if w["rule"] == "long_paragraph"]


def test_a_text_longer_than_one_build_sets_is_exit_2_naming_the_line(tmp_path, capsys):
    line = "甲" * 999 + "\n"
    raw = GOOD + line * (MAX_TEXT // len(line) + 1)
    folder = make_issue(tmp_path, raw)
    code, std = build(capsys, folder, tmp_path / "o")
    assert code == 2 and std.out == ""
    [err] = std.err.splitlines()
    limit_line = raw[:MAX_TEXT].count("\n") + 1
    assert err.startswith(f"error: {folder / 'raw.md'}:{limit_line}: {len(raw):,} characters: more than")
    assert not (tmp_path / "o").exists()


def test_a_raw_file_of_many_megabytes_is_refused_unread(tmp_path, capsys):
    folder = make_issue(tmp_path, GOOD)
    with open(folder / "raw.md", "ab") as f:
        f.truncate(9 * 10**6)                  # sparse: nothing is written but the size
    code, std = build(capsys, folder, tmp_path / "o")
    assert code == 2
    assert re.fullmatch(r"error: .*raw\.md:1: 9 MB: far more text than one build sets .*\n", std.err)
