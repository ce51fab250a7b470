"""Each rule on its own: the cases in tests/fixtures/rules/*.txt, read by hand
(input lines, then the blocks a person expects with only the named rules on).
Table decisions are run after the clean-up (tables.txt)."""
from pathlib import Path

import pytest

from helpers import describe, fixtures, run_rules
from pipeline.clean import RULES
from pipeline.tables import DECISIONS as TABLE_DECISIONS

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
CASES = [(f, *case) for f in sorted(FIXTURES.glob("*.txt")) for case in fixtures(f)]


@pytest.mark.parametrize("path,title,rules,raw,expected,line", CASES,
                         ids=[f"{c[0].stem}:{c[5]}" for c in CASES])
def test_rule_fixture(path, title, rules, raw, expected, line):
    known = set(RULES.names) | set(TABLE_DECISIONS.names)
    assert set(rules) <= known, f"{path.name}:{line}: unknown rule in {rules}"
    stage = "tables" if any(r.startswith("tables.") for r in rules) else "clean"
    blocks, log = run_rules(raw, only=rules, stage=stage)
    assert describe(blocks, log) == expected, f"{path.name}:{line}: {title}"


def test_every_clean_rule_has_a_fixture_case():
    covered = {r for c in CASES for r in c[2]}
    assert set(RULES.names) <= covered, sorted(set(RULES.names) - covered)
