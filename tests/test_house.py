"""The switches of the rule chain, and the accounting across encodings."""
import json
import shutil
import subprocess
import sys

import pytest

from helpers import ISSUE, ROOT, make_issue, run_rules
from pipeline.build import SWITCHES, build, make_model
from pipeline.clean import RULES
from pipeline.context import Context, switched_off
from pipeline.errors import InputError
from pipeline.model import Log

GOOD = ("# 天堂之芯\n\n# 目录\n\n### • 芯动态\n\n- ▲甲公司发布新品 — 01\n\n"
        "## 甲公司发布新品\n\n甲公司今天发布了新品，性能提升一倍。\n\n（来源：芯东西）\n")


def test_an_unknown_rule_name_is_refused_with_its_line(tmp_path):
    fixes = tmp_path / "fixes.toml"
    fixes.write_text('# editor\n[clean]\ndisable = ["captions",\n  "no_such_rule"]\n', encoding="utf-8")
    import tomllib
    with pytest.raises(InputError) as err:
        switched_off(tomllib.loads(fixes.read_text()), fixes, SWITCHES)
    assert err.value.line == 4 and "no_such_rule" in err.value.message


def test_disable_must_be_a_list_of_names(tmp_path):
    fixes = tmp_path / "fixes.toml"
    fixes.write_text('[tables]\ndisable = "tables.caption"\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        switched_off({"tables": {"disable": "tables.caption"}}, fixes, SWITCHES)
    assert err.value.line == 1 and "list" in err.value.message


def test_names_of_every_stage_switch_off_and_are_told_apart(tmp_path):
    fixes = {"clean": {"disable": ["captions"]}, "tables": {"disable": ["tables.caption"]},
             "structure": {"disable": ["article_source"]}}
    assert switched_off(fixes, tmp_path / "fixes.toml", SWITCHES) == {"captions", "tables.caption", "article_source"}
    # a table decision is not a clean rule: naming it under [clean] is refused
    with pytest.raises(InputError):
        switched_off({"clean": {"disable": ["tables.caption"]}}, tmp_path / "fixes.toml", SWITCHES)


def test_a_table_decision_switched_off_leaves_the_caption_a_paragraph():
    raw = "国内三大 EDA 上市公司\n\n公司\t营收\n华大九天\t10\n"
    on, _ = run_rules(raw, stage="tables")
    log = Log()
    from pipeline.read import read_blocks
    from pipeline.clean import clean
    from pipeline.tables import tables
    ctx = Context(log=log, disabled=frozenset({"tables.caption"}))
    off = tables(clean(read_blocks(raw, log), ctx), ctx)
    assert [b.kind for b in on] == ["table"] and on[0].caption
    assert [b.kind for b in off] == ["paragraph", "table"] and off[0].role == "caption"


def test_the_chain_lists_every_rule_once_with_what_it_does():
    names = RULES.names
    assert len(names) == len(set(names)) >= 16
    assert all(doc and len(doc) < 100 for _, doc in RULES.describe())
    proc = subprocess.run([sys.executable, "-m", "pipeline", "rules"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0
    listed = [line.split()[0] for line in proc.stdout.splitlines() if line.startswith("  ")]
    assert listed[:len(names)] == names and "tables.caption" in listed and "article_source" in listed


@pytest.mark.slow
def test_an_unknown_rule_in_fixes_toml_stops_the_build_with_exit_2(tmp_path):
    folder = make_issue(tmp_path, GOOD, fixes='[clean]\ndisable = ["captoins"]\n')
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", "epub",
                           "--out", str(tmp_path / "out"), "--quiet"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith(f"error: {folder / 'fixes.toml'}:2:")
    assert not (tmp_path / "out" / "test-01.epub").exists()


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_the_han_accounting_holds_for_every_encoding_the_reader_takes(tmp_path, encoding):
    """The report counts the Han characters of the text as the reader decoded
    it: a GB18030 or UTF-16 copy of 2025-08 counts what the UTF-8 one does."""
    counts = {}
    for enc in ("utf-8", encoding):
        folder = tmp_path / enc / "sources" / "2025-08"
        shutil.copytree(ISSUE, folder)
        shutil.copy(ROOT / "sources" / "magazine.toml", folder.parent / "magazine.toml")
        text = (ISSUE / "raw.md").read_text(encoding="utf-8")
        (folder / "raw.md").write_bytes(text.encode(enc))
        build(folder, tmp_path / enc / "out", formats=("epub",), quiet=True)
        counts[enc] = json.loads((tmp_path / enc / "out" / "report.json").read_text())["han_accounting"]
    assert counts["utf-8"]["raw"] > 60_000
    assert counts[encoding] == counts["utf-8"] and counts[encoding]["missing_count"] == 0


def test_the_model_is_the_same_whatever_the_encoding(tmp_path):
    folder = tmp_path / "sources" / "2025-08"
    shutil.copytree(ISSUE, folder)
    shutil.copy(ROOT / "sources" / "magazine.toml", folder.parent / "magazine.toml")
    (folder / "raw.md").write_bytes((ISSUE / "raw.md").read_text(encoding="utf-8").encode("gb18030"))
    issue, _, _ = make_model(folder)
    ref, _, _ = make_model(ISSUE)
    assert [a.title for a in issue.articles] == [a.title for a in ref.articles]
    assert sum(len(a.blocks) for a in issue.articles) == sum(len(a.blocks) for a in ref.articles)
