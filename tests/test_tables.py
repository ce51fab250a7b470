"""Tables of 2025-08 checked cell by cell against the raw text, read by hand."""
from pipeline.model import Table


def texts(row):
    return [(c.text, c.colspan) for c in row.cells]


def test_shipments_table_multirow_header_and_total(model_2025_08):
    t = next(b for a in model_2025_08[0].articles for b in a.blocks
             if isinstance(b, Table) and "出貨量" in b.text)  # raw lines 704-710
    assert t.columns == 4
    assert [texts(r) for r in t.head] == [
        [("", 1), ("出貨量", 3)],
        [("", 1), ("2022年", 1), ("2023年", 1), ("2024年", 1)],
        [("", 1), ("千個", 1), ("千個", 1), ("千個", 1)]]
    body = t.body
    assert [c.text for c in body[0].cells] == ["電源管理IC產品", "486,093", "503,688", "442,838"]
    assert body[-1].role == "total" and body[-1].cells[0].text == "合計"
    assert all(c.numeric for c in body[0].cells[1:])
    assert t.lang == "zh-Hant"


def test_revenue_table_year_spans_and_footnote_markers(model_2025_08):
    t = next(b for a in model_2025_08[0].articles for b in a.blocks
             if isinstance(b, Table) and "大中華區" in b.text)        # raw lines 644-651
    assert t.columns == 7
    assert texts(t.head[0]) == [("", 1), ("截至12月31日止年度", 6)]
    assert texts(t.head[1]) == [("", 1), ("2022年", 2), ("2023年", 2), ("2024年", 2)]
    first = t.body[0]
    assert first.role == "group" and first.cells[0].text == "收入"
    row = t.body[1]
    assert row.cells[0].text == "大中華區 (1)"               # leader dots gone
    assert any("sup" in r.marks for r in row.cells[0].runs)
    assert [c.text for c in row.cells[1:]] == ["457,686", "27.1", "424,510", "25.9", "502,514", "31.9"]
    assert t.body[-1].role == "total"


def test_ranking_table_without_header_words(model_2025_08):
    t = next(b for a in model_2025_08[0].articles for b in a.blocks
             if isinstance(b, Table) and "公司K" in b.text)           # raw lines 736-750
    assert t.columns == 4
    assert [c.text for c in t.head[0].cells] == ["排名", "公司", "收入 (人民幣十億元)", "市場份額"]
    assert len(t.body) == 14
    assert [c.text for c in t.body[-1].cells] == ["", "合計", "86.0", "100%"]


def test_no_tab_characters_reach_the_model(model_2025_08):
    issue = model_2025_08[0]
    for a in issue.articles:
        for b in a.blocks:
            assert "\t" not in b.text or isinstance(b, Table)
