"""How the justified lines of 2025-08 end in both PDFs, measured by tools/lines.py (WeasyPrint's
boxes for where each line and column is, pdftotext -bbox-layout for what is drawn there)."""
import json
import shutil
import subprocess
import sys

import pytest

from helpers import ISSUE, ROOT

pytestmark = [pytest.mark.slow,     # lays out both PDFs of 2025-08 (about a minute)
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")]


@pytest.fixture(scope="module")
def measured():
    proc = subprocess.run([sys.executable, "tools/lines.py", str(ISSUE), "--json"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("edition", ["screen", "print"])
def test_body_lines_end_flush_without_gaps_between_characters(measured, edition):
    m = measured[edition]
    assert m["lines"] > 2000 and m["unmatched"] == 0
    # the loosest lines left end before an unbreakable number or acronym (194,782.90万元, InFO_SoW)
    assert m["flush"] / m["lines"] >= 0.98, m["short"][:10]
    assert m["overflowing"] == []
    assert m["gaps"] == []              # no gap a PDF reader takes for a space between two hanzi
    # 45 paragraphs ended in one character and its stop before lines took them in (issue 17)
    assert len(m["lone"]) <= 6, m["lone"]


@pytest.mark.parametrize("edition", ["screen", "print"])
def test_no_short_table_is_split_and_a_long_one_keeps_three_rows_on_each_side(measured, edition):
    tables = measured[edition]["tables"]
    assert len(tables) >= 20 and sum(t["whole"] for t in tables.values()) >= 10
    assert [t for t, v in tables.items() if v["whole"] and len(v["rows"]) > 1] == []
    assert [v["rows"] for v in tables.values() if len(v["rows"]) > 1 and min(v["rows"]) < 3] == []


@pytest.mark.parametrize("edition", ["screen", "print"])
def test_two_line_titles_break_between_words(measured, edition):
    titles = measured[edition]["titles"]
    assert titles["two_lines"] >= 10 and titles["not_at_halves"] == []
