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


def table_at(model, line):
    return next(b for a in model[0].articles for b in a.blocks
                if isinstance(b, Table) and b.span.start <= line <= b.span.end)


def test_customer_table_year_groups_and_underlined_totals(model_2025_08):
    t = table_at(model_2025_08, 805)                                   # raw lines 803-817
    assert t.columns == 6 and len(t.head) == 1 and t.lang == "zh-Hant"
    assert [c.text for c in t.head[0].cells][:4] == ["客戶", "提供的主要 解決方案／服務", "業務關係始於 (7)", "付款方式"]
    assert [r.role for r in t.body] == ["group"] + ["body"] * 5 + ["total", "group"] + ["body"] * 5 + ["total"]
    assert texts(t.body[0]) == [("2022年", 6)] and texts(t.body[7]) == [("2023年", 6)]
    assert [c.text for c in t.body[1].cells] == ["客戶A (1)(6)", "通訊PMIC 顯示PMIC", "超過10年", "電匯票據",
                                                "1,125,630", "66.7%"]
    assert [c.text for c in t.body[6].cells] == ["合計", "", "", "", "1,481,925", "87.8%"]
    assert [c.numeric for c in t.body[1].cells] == [False] * 4 + [True] * 2


def test_investor_table_two_header_rows_and_running_numbers(model_2025_08):
    t = table_at(model_2025_08, 860)                                   # raw lines 857-876
    assert t.columns == 8 and len(t.head) == 2
    # the header lost the running-number column's empty cell: it moves right, 投資者 over the names
    assert [c.text for c in t.head[0].cells][:3] == ["", "[編纂] 投資者", "增資/ 股權轉讓 協議日期"]
    assert t.head[0].cells[-1].text == "每股 平均成本 (1)"
    assert [c.text for c in t.body[0].cells] == ["10", "華芯科瑞", "2020年11月23日", "640,162", "250,000,000",
                                                "2020年12月16日", "11,819,830", "21.15"]      # leader dots gone
    assert [r.cells[0].text for r in t.body] == [str(n) for n in range(10, 27)]
    assert t.body[3].cells[1].text == "Cosmic Warrior"


def test_copper_price_ranges_are_numbers(model_2025_08):
    t = table_at(model_2025_08, 1506)                                  # raw lines 1505-1512
    assert len(t.head) == 1 and [c.text for c in t.head[0].cells] == ["年份", "月均价格 (美元/吨)", "波动情况"]
    assert len(t.body) == 7
    assert [(c.text, c.numeric) for c in t.body[0].cells[:2]] == [("2011年-2012年", False), ("7000-10000", True)]
    assert (t.body[4].cells[1].text, t.body[4].cells[1].numeric) == ("11104", True)
    assert t.body[3].cells[2].text == "疫情"


def test_japanese_table_keeps_its_script_and_caption(model_2025_08):
    t = table_at(model_2025_08, 1727)                                  # raw lines 1724-1742
    assert t.lang == "ja" and "".join(r.text for r in t.caption) == "WSE (Wafer Scale Engine) の概要"
    assert [c.text for c in t.head[0].cells] == ["", "WSE", "WSE-2", "WSE-3"]
    assert len(t.body) == 16
    assert [c.text for c in t.body[0].cells] == ["公式発表日", "2019年8月19日", "2021年4月12日", "2024年5月11日"]
    assert all(r.cells[0].header for r in t.body)                      # row headers
    assert [c.text for c in t.body[-1].cells] == ["WSEの寸法から計算した外接円の直径", "304mm", "304mm", "304mm"]


def test_revenue_composition_labels_span_their_rows(model_2025_08):
    t = table_at(model_2025_08, 2282)                                  # raw lines 2281-2293
    assert t.columns == 5
    assert [(r.cells[0].text, r.cells[0].rowspan) for r in t.body if r.cells[0].rowspan > 1] == [
        ("按行业分类", 2), ("按产品分类", 5), ("按地区分类", 3)]
    assert [c.text for c in t.body[0].cells] == ["按行业分类", "集成电路", "73.56亿", "100.00%", "38.00%"]
    assert [c.text for c in t.body[1].cells] == ["其他(补充)", "34.98万", "0.00%", "76.67%"]
    assert t.body[0].cells[2].numeric                                  # 亿 and 万 amounts align as numbers
    assert ["".join(r.text for r in n) for n in t.notes] == ["来源：2024年财报 半导体产业纵横整理"]


def test_eda_table_caption_above_and_source_below(model_2025_08):
    t = table_at(model_2025_08, 1160)                                  # raw lines 1157-1164
    assert "".join(r.text for r in t.caption) == "国内三大EDA上市公司"
    assert [c.text for c in t.head[0].cells] == ["公司", "核心技术", "代表产品", "技术突破", "优势"]
    assert [r.cells[0].text for r in t.body] == ["华大九天", "概伦电子", "广立微"]
    assert ["".join(r.text for r in n) for n in t.notes] == ["数据来源：中商产业研究院"]


def test_project_table_total_row_by_its_label(model_2025_08):
    t = table_at(model_2025_08, 555)                                   # raw lines 554-559
    assert [c.text for c in t.head[0].cells] == ["序号", "项目名称", "总投资金额 (万元)", "拟使用募集资金 (万元)"]
    assert [r.role for r in t.body] == ["body"] * 4 + ["total"]
    assert [c.text for c in t.body[-1].cells] == ["合计", "", "212,782.90", "194,782.90"]


def test_2025_08_directors_pay_is_read_under_its_own_columns(model_2025_08):
    """Hand-checked against the prospectus table at raw 887-897: 任遠程博士's 1,747 is 工資及薪金,
    the unlabelled last row is the totals (1,747 + 3,176 = 4,923)."""
    from pipeline.model import Table
    issue = model_2025_08[0]
    (t,) = [b for a in issue.articles for b in a.blocks if isinstance(b, Table) and b.span.start == 887]
    labels = next(r for r in t.rows if r.role == "head" and any(c.text == "工資及薪金" for c in r.cells))
    row = next(r for r in t.rows if r.cells[0].text.startswith("任遠程"))
    column = [c.text for c in labels.cells].index("工資及薪金")
    assert row.cells[column].text == "1,747"
    assert [c.text for c in labels.cells][:2] == ["", "附註"] and row.cells[1].text == "(i)"
    assert t.rows[-1].role == "total" and t.rows[-1].cells[column].text == "4,923"
