"""The build report: every change by rule, every drop, every warning, the
editions' hashes, and the Han-character accounting (nothing lost silently)."""
from __future__ import annotations

import hashlib
import json
import zipfile
from collections import Counter
from pathlib import Path

from lxml import etree, html as lxml_html

from .render.words import issue_words
from .render.xhtml import DESCRIBED, E, figure_alt, figures_by_id, sub
from .text import HAN_CHAR



def epub_text(path: Path) -> str:
    """All text a reader can get from the bodies of the EPUB's XHTML documents (not the nav)."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if name.endswith(".xhtml") and not name.endswith("nav.xhtml"):
                body = etree.fromstring(z.read(name)).find("{http://www.w3.org/1999/xhtml}body")
                if body is not None:   # not the <head>: its <title> is no text a reader reads
                    out.append("".join(body.itertext()))
    return "\n".join(out)


def han_accounting(raw_text: str, epub: str, dropped: list[str]) -> dict:
    """Each Han character of the raw text must be in the EPUB or in the dropped list."""
    raw = Counter(HAN_CHAR.findall(raw_text))
    got = Counter(HAN_CHAR.findall(epub)) + Counter(HAN_CHAR.findall("\n".join(dropped)))
    missing = {ch: n - got.get(ch, 0) for ch, n in raw.items() if got.get(ch, 0) < n}
    return {"raw": sum(raw.values()), "missing": missing, "missing_count": sum(missing.values())}


def report_data(result, staging: Path) -> dict:
    log = result.log
    by_rule = Counter(c.rule for c in log.changes)
    issue = result.issue
    editions = {}
    for f in sorted(staging.iterdir()):
        if f.suffix in (".pdf", ".epub"):
            editions[f.name] = {"bytes": f.stat().st_size,
                                "sha256": hashlib.sha256(f.read_bytes()).hexdigest()}
    page_at = print_pages(issue, result.page_starts)
    screen_at = print_pages(issue, result.screen_starts)
    data = {
        "issue": issue.meta.id,
        "title": issue.meta.title,
        "pages": result.pages,
        "editions": editions,
        "timings_s": {k: round(v, 3) for k, v in result.timings.items()},
        "structure": {
            "has_contents": issue.has_contents,
            "sections": [{"name": s.name, "articles": [
                {"id": a.id, "title": a.title, "printed_page": a.printed_page, "source": a.source,
                 "lines": str(a.span) if a.span else None} for a in s.articles]} for s in issue.sections],
        },
        "changes_by_rule": dict(sorted(by_rule.items())),
        "changes": [{"rule": c.rule, "stage": c.stage, "lines": str(c.span), "before": c.before, "after": c.after,
                     **({"joined": f"{c.link[0]}→{c.link[1]}"} if c.link else {}),
                     "print_page": page_at(c.span)}
                    for c in log.changes],
        "dropped": [{"rule": d.rule, "lines": str(d.span), "text": d.text, "reason": d.reason} for d in log.drops],
        "warnings": [{"rule": w.rule, "lines": str(w.span) if w.span else None, "message": w.message,
                      "print_page": page_at(w.span), "screen_page": screen_at(w.span)}
                     for w in log.warnings],
    }
    data["figures"] = _figures(issue, result.page_starts)
    if result.text_lost:   # letters, digits and Han characters of the document not on a PDF's pages
        data["pdf_text_lost"] = result.text_lost
    epub = staging / f"{issue.meta.id}.epub"
    if epub.exists():
        data["han_accounting"] = han_accounting(result.text, epub_text(epub), [d.text for d in log.drops])
    return data


def print_pages(issue, page_starts: dict):
    """raw span → the print page on which the block holding its first line begins (None: not in
    the editions, or no print PDF in this build): the page an editor turns to."""
    import bisect

    from .model import Figure as FigureBlock, Heading, ListBlock, Paragraph, Table
    page_of = {name: page for page, names in sorted(page_starts.items()) for name in names}
    letter = {Heading: "h", Paragraph: "p", ListBlock: "l", Table: "t", FigureBlock: "f"}
    starts = []      # (first raw line, last raw line, print page), as the documents number the blocks
    for prefix, blocks in [("front", issue.front)] + [(a.id, a.blocks) for s in issue.sections for a in s.articles]:
        for k, b in enumerate(blocks, 1):
            page = page_of.get(f"{prefix}-{letter.get(type(b), 'p')}{k}") or page_of.get(prefix)
            if b.span and page:
                starts.append((b.span.start, b.span.end, page))
    starts.sort()
    keys = [s[0] for s in starts]

    def page_at(span):
        if span is None or not starts:
            return None
        k = bisect.bisect_right(keys, span.start) - 1
        return starts[k][2] if k >= 0 and starts[k][0] <= span.start <= starts[k][1] else None
    return page_at


def _figures(issue, page_starts: dict) -> list[dict]:
    """Every picture in the editions: where it came from, its caption and what a reader who
    cannot see it is told (and whether that describes it), and the print page it is on."""
    page_of = {name: page for page, names in sorted(page_starts.items()) for name in names}
    words = issue_words(issue)
    return [{"id": fid, "lines": str(f.span), "file": f.file, "caption": f.text, "alt": figure_alt(f, words),
             "alt_from": f.alt_from or ("passage" if f.near else "decorative"), "described": f.alt_from in DESCRIBED,
             "pixels": list(f.size), "print_page": page_of.get(fid)}
            for fid, f in figures_by_id(issue).items()]


# the report's words, by the script of the issue's language: editors read it in theirs
LABELS = {
    "zh": {"title": "构建报告", "contents": "目录", "warnings": "警告", "editions": "版本", "structure": "结构",
           "pictures": "图片", "missing": "缺失的图片", "dropped": "删除的文字", "changes": "改动",
           "file": "文件", "bytes": "字节", "pages": "页数", "lines": "原文行", "rule": "规则", "message": "说明",
           "fix": "可复制的修正（fixes.toml）", "text": "文字", "reason": "原因", "count": "次数",
           "change": "改动（删去 / 加入）", "examples": "例", "page": "印刷页", "caption": "图注",
           "alt": "替代文字", "alt_from": "来源", "article": "文章", "section": "栏目",
           "han": "原文汉字 {raw:,} 个；EPUB 中没有、也未列为删除的：{missing} 个",
           "lost": "PDF 页面上没有的字母、数字和汉字（pdftotext）：", "unchecked": "未检查",
           "bulk": "批量规则：只列次数和前几例", "none": "无", "place": "位置", "see_page": "屏幕版第 {page} 页"},
    "en": {"title": "Build report", "contents": "Contents", "warnings": "Warnings", "editions": "Editions",
           "structure": "Structure", "pictures": "Pictures", "missing": "Pictures missing",
           "dropped": "Dropped text", "changes": "Changes", "file": "File", "bytes": "Bytes", "pages": "Pages",
           "lines": "Raw lines", "rule": "Rule", "message": "What", "fix": "A fix to copy (fixes.toml)",
           "text": "Text", "reason": "Why", "count": "Count", "change": "Change (removed / inserted)",
           "examples": "e.g.", "page": "Print page", "caption": "Caption", "alt": "Text for readers who cannot see it",
           "alt_from": "From", "article": "Article", "section": "Section",
           "han": "Han characters in the source: {raw:,}; not in the EPUB and not listed as dropped: {missing}",
           "lost": "Letters, digits and Han characters not on a PDF's pages (pdftotext): ", "unchecked": "not checked",
           "bulk": "Bulk rules: counts and the first examples only", "none": "none", "place": "Where",
           "see_page": "screen PDF, page {page}"},
}
# what each warning means, in the editor's words (the message after it gives the particulars);
# a rule not named here shows its message alone
GISTS = {"zh": {
    "join_page_breaks": "段末没有标点，未与下文接合：如是分页断开的句子，请用 join 接上",
    "fixes": "fixes.toml 里的这条修正没有起作用，请核对",
    "title_repair": "小标题与上一篇文章的标题相同，已作为新文章的开头",
    "structure.unmatched_entry": "目录里的条目在正文中找不到对应的文章",
    "structure.before_first_article": "目录与第一篇文章之间的文字，放在了卷首",
    "structure.section_text": "栏目标题下、第一篇文章前的文字，作为同名文章排出",
    "structure.contents": "没有可用的目录：文章按别的线索划分",
    "tables.ragged": "表格有的行格数不足，已补空格，请核对",
    "pictures.missing": "图片文件缺失或不可用，未排入各版本",
    "pictures.unreadable": "图片文件无法读取，未排入各版本",
    "pictures.content_list": "content_list.json 无法读取，图注未使用",
    "unreadable_formulas": "公式无法转换，按 TeX 原文排出",
    "long_paragraph": "段落过长，可能丢失了分段",
    "fonts.missing_glyph": "有字体缺字的字符，印出来是空框",
    "read.encoding": "原文不是 UTF-8 编码，已转换；请存为 UTF-8",
    "read.line_ends": "原文的换行符已统一",
    "read.control_chars": "原文中的控制字符已删除",
    "read.table_markup": "表格单元格中的标记无法解析，按纯文字排出",
    "read.table_stray_text": "表格标记内、单元格外的文字，作为段落排出",
    "read.table_unclosed": "表格没有结束标记",
    "sources.unknown_key": "配置文件中有未知的键，已忽略（拼写错误？）",
    "pdf.wide_table": "表格太宽，PDF 中分几部分排出",
    "pdf.layout_rescue": "排版时这篇文章有内容丢失，已重新排版，请检查其页面",
    "pdf.text_lost": "有文字没有出现在 PDF 页面上",
    "pdf.picture_resolution": "图片分辨率不足，印刷会模糊",
    "pdf.output_intent": "印刷 PDF 没有注册的印刷条件",
    "pdf.cover_cropped": "封面图片比例与页面不符，有一部分被裁掉",
    "epub": "本次没有排 PDF，EPUB 没有页码列表",
    "publish": "输出文件夹的替换方式有变",
}}

# why text was left out, in the editor's words (the reason after it gives the particulars)
DROP_GISTS = {"zh": {
    "fixes": "编辑在 fixes.toml 中删去",
    "structure.contents": "原刊的目录页：目录由各版本重新生成",
    "tables.empty": "空表格",
    "drop_disclaimer": "免责声明：统一使用 magazine.toml 中的文字",
    "image_descriptions": "提取工具对图片的描述，不是杂志的文字",
    "redaction_marks": "只有遮盖符号",
    "screenshot_text": "截图中的文字（导航、标签）",
    "running_heads": "原刊页眉",
    "repeated_lines": "每页重复的行（原刊版面元素）",
}}


def _said(gists: dict, L: dict, rule: str, particulars: str):
    """What a warning or a drop means in the editor's words, above its particulars; the
    particulars alone where the rule has no words here."""
    what = E("span")
    gist = gists.get("zh" if L is LABELS["zh"] else "", {}).get(rule)
    if gist:
        sub(what, "b", text=gist)
        sub(what, "br")
        sub(what, "small", text=particulars)
    else:
        what.text = particulars
    return what


# rules whose changes are all of one mechanical kind (a space, a punctuation width, a language tag):
# shown as a count and EXAMPLES examples, the others change by change
BULK = {"han_latin_spacing", "fullwidth_punctuation", "language_tags"}
EXAMPLES = 3
# the fix a warning most likely asks for (the editor may choose another)
SUGGESTED = {"join_page_breaks": "join", "pictures.missing": "figure", "fixes": "keep"}
CONTEXT = 8        # characters shown on each side of a change


def _labels(language: str) -> dict:
    return LABELS["zh" if language.lower().startswith("zh") else "en"]


def diff_pieces(before: str, after: str, context: int = CONTEXT) -> list[tuple[str, str]]:
    """What changed, with a little context: [(kind, text)], kind '' (same), 'del', 'ins', '…'."""
    import difflib
    out: list[tuple[str, str]] = []
    ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    for k, (op, a0, a1, b0, b1) in enumerate(ops):
        if op == "equal":
            same = before[a0:a1]
            head = same[:context] if k else ""
            tail = same[-context:] if k + 1 < len(ops) else ""
            if k and k + 1 < len(ops) and len(same) <= 2 * context:
                out.append(("", same))
                continue
            if head:
                out.append(("", head))
            if len(same) > len(head) + len(tail) and (head or tail) or (not head and not tail and same):
                out.append(("…", "…"))
            if tail:
                out.append(("", tail))
            continue
        if a1 > a0:
            out.append(("del", before[a0:a1]))
        if b1 > b0:
            out.append(("ins", after[b0:b1]))
    return out


def fix_text(lines: str, raw_lines: list[str], action: str = "keep") -> str:
    """A [[fix]] an editor can paste: the lines, the text expected there (a few characters of the
    first non-empty one), an action to choose."""
    try:
        first = int(str(lines).split("-")[0])
    except ValueError:
        return ""
    span = str(lines).split("-")
    last = int(span[-1]) if span[-1].isdigit() else first
    from .inline import strip_markup      # the fix expects the text, not its markdown
    expect = next((strip_markup(raw_lines[n - 1]).strip(" -#>*") for n in range(first, min(last, len(raw_lines)) + 1)
                   if 0 < n <= len(raw_lines) and strip_markup(raw_lines[n - 1]).strip(" -#>*")), "")
    expect = expect[:16].replace("\\", "\\\\").replace('"', '\\"')
    return (f'[[fix]]\nlines = "{lines}"\nexpect = "{expect}"\naction = "{action}"   '
            f'# or drop, keep, join, split, replace, caption, figure-text, move\nwhy = ""')


def _table(parent, heads: list[str], rows: list[list], cls: str = ""):
    t = sub(parent, "table", {"class": cls or None})
    tr = sub(sub(t, "thead"), "tr")
    for h in heads:
        sub(tr, "th", {"scope": "col"}, text=h)
    body = sub(t, "tbody")
    for row in rows:
        tr = sub(body, "tr")
        for cell in row:
            if isinstance(cell, etree._Element):
                td = sub(tr, "td")
                td.append(cell)
            else:
                sub(tr, "td", text="" if cell is None else str(cell))
    return t


LONG = 160     # characters of a dropped text shown before the rest is folded away (report.json has all)


def _common_tail(texts: list[str]) -> str:
    """The parenthesised ending all of `texts` share (" (…)"), or ""."""
    if not texts:
        return ""
    k = texts[0].rfind(" (")
    tail = texts[0][k:] if k > 0 and texts[0].endswith(")") else ""
    return tail if tail and all(t.endswith(tail) and len(t) > len(tail) for t in texts) else ""


def _long_text(text: str):
    if len(text) <= LONG:
        return text
    box = E("details")
    sub(box, "summary", text=text[:LONG] + f"…（{len(text)}）")
    sub(box, "span", text=text)
    return box


def _diff_element(before: str, after: str):
    span = E("span", {"class": "diff"})
    for kind, text in diff_pieces(before, after):
        if kind in ("del", "ins"):
            sub(span, kind, text=text)
        elif kind == "…":
            sub(span, "span", {"class": "gap"}, text=text)
        else:
            last = span[-1] if len(span) else None
            if last is None:
                span.text = (span.text or "") + text
            else:
                last.tail = (last.tail or "") + text
    return span


def _html(data: dict, raw_lines: list[str] | None = None, language: str = "zh-CN") -> bytes:
    """The report an editor reads: warnings first, each with a fix to paste; changes shown as
    what changed, bulk rules as counts with examples; in the issue's language."""
    raw_lines = raw_lines or []
    L = _labels(language)
    html = E("html", {"lang": "zh-CN" if L is LABELS["zh"] else "en"})
    head = sub(html, "head")
    sub(head, "meta", {"charset": "utf-8"})
    sub(head, "title", text=f"{L['title']}：{data['title']} {data['issue']}")
    sub(head, "style", text="body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em;max-width:80em;line-height:1.5}"
                            "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;"
                            "vertical-align:top;font-size:90%;text-align:left}td{max-width:40em;white-space:pre-wrap}"
                            "th{background:#eee}table.wide,table.warn{width:100%}h2{margin-top:1.5em}.warn td{color:#a40}del{background:#fdd;"
                            "text-decoration:line-through}ins{background:#dfd;text-decoration:none}"
                            "pre{background:#f6f6f6;padding:4px;margin:0;white-space:pre-wrap;user-select:all}"
                            ".gap{color:#999}@media print{details{display:block}}")
    body = sub(html, "body")
    sub(body, "h1", text=f"{L['title']}：{data['title']} {data['issue']}")
    sections = [("warnings", len(data["warnings"])), ("editions", None), ("structure", None),
                ("pictures", len(data.get("figures", []))),
                ("missing", sum(1 for d in data["dropped"] if d["rule"] == "pictures.missing")),
                ("dropped", sum(1 for d in data["dropped"] if d["rule"] != "pictures.missing")),
                ("changes", len(data["changes"]))]
    nav = sub(body, "nav")
    sub(nav, "h2", text=L["contents"])
    ol = sub(nav, "ol")
    for key, n in sections:
        sub(sub(ol, "li"), "a", {"href": f"#{key}"}, text=L[key] + (f"（{n}）" if n is not None else ""))
    # warnings first: what an editor must look at
    sub(body, "h2", {"id": "warnings"}, text=f"{L['warnings']}（{len(data['warnings'])}）")
    rows = []
    screen_pdf = f"{data['issue']}.pdf"
    for k, w in enumerate(data["warnings"]):
        fix = fix_text(w["lines"], raw_lines, SUGGESTED.get(w["rule"], "keep")) if w["lines"] else ""
        place = ""
        if w.get("screen_page") and screen_pdf in data["editions"]:   # the place: the page, opened at it
            place = E("a", {"href": f"{screen_pdf}#page={w['screen_page']}"})
            place.text = L["see_page"].format(page=w["screen_page"])
        what = _said(GISTS, L, w["rule"], w["message"])
        rows.append([w["rule"], w["lines"] or "", w.get("print_page") or "", place, what,
                     E("pre", {"id": f"w{k + 1}"}) if fix else ""])
        if fix:
            rows[-1][5].text = fix
    _table(body, [L["rule"], L["lines"], L["page"], L["place"], L["message"], L["fix"]], rows, "warn")
    sub(body, "h2", {"id": "editions"}, text=L["editions"])
    _table(body, [L["file"], L["bytes"], "SHA-256"],
           [[name, f"{e['bytes']:,}", e["sha256"]] for name, e in data["editions"].items()])
    sub(body, "p", text=f"{L['pages']}：" + "，".join(f"{k} {v}" for k, v in data["pages"].items()))
    acc = data.get("han_accounting")
    if acc:
        sub(body, "p", text=L["han"].format(raw=acc["raw"], missing=acc["missing_count"]))
    if data.get("pdf_text_lost"):
        sub(body, "p", text=L["lost"] + "，".join(f"{k} PDF {L['unchecked'] if v is None else v}"
                                                  for k, v in data["pdf_text_lost"].items()))
    sub(body, "h2", {"id": "structure"}, text=L["structure"])
    _table(body, [L["section"], L["article"], L["page"], L["lines"]],
           [[s["name"], a["title"], a["printed_page"], a["lines"]]
            for s in data["structure"]["sections"] for a in s["articles"]])
    figures = data.get("figures", [])
    sub(body, "h2", {"id": "pictures"}, text=f"{L['pictures']}（{len(figures)}）")
    if figures:
        _table(body, [L["lines"], L["page"], L["file"], L["caption"], L["alt"], L["alt_from"]],
               [[f["lines"], f["print_page"] or "", f["file"], f["caption"], f["alt"], f["alt_from"]] for f in figures])
    missing = [d for d in data["dropped"] if d["rule"] == "pictures.missing"]
    sub(body, "h2", {"id": "missing"}, text=f"{L['missing']}（{len(missing)}）")
    if missing:
        # what every reason says (what to write in fixes.toml) is said once, above them
        tail = _common_tail([d["reason"] for d in missing])
        sub(body, "p").append(_said(GISTS, L, "pictures.missing", tail.strip(" ()")))
        _table(body, [L["lines"], L["text"], L["reason"]],
               [[d["lines"], _long_text(d["text"]), d["reason"][:len(d["reason"]) - len(tail)]] for d in missing],
               "wide")
    others = [d for d in data["dropped"] if d["rule"] != "pictures.missing"]   # those are listed above
    sub(body, "h2", {"id": "dropped"}, text=f"{L['dropped']}（{len(others)}）")
    _table(body, [L["rule"], L["lines"], L["reason"], L["text"]],
           [[d["rule"], d["lines"], _said(DROP_GISTS, L, d["rule"], d["reason"]), _long_text(d["text"])]
            for d in others], "wide")
    sub(body, "h2", {"id": "changes"}, text=f"{L['changes']}（{len(data['changes'])}）")
    _table(body, [L["rule"], L["count"]], [[r, n] for r, n in data["changes_by_rule"].items()])
    for rule, n in data["changes_by_rule"].items():
        changes = [c for c in data["changes"] if c["rule"] == rule]
        bulk = rule in BULK and n > EXAMPLES
        box = sub(body, "details", {"open": None if bulk else "open", "id": f"rule-{rule}"})
        sub(box, "summary", text=f"{rule}（{n}）" + (f" — {L['bulk']}" if bulk else ""))
        shown = changes[:EXAMPLES] if bulk else changes
        _table(box, [L["lines"], L["page"], L["change"]],
               [[c.get("joined", c["lines"]), c.get("print_page") or "", _diff_element(c["before"], c["after"])]
                for c in shown])
    return lxml_html.tostring(html, doctype="<!DOCTYPE html>", encoding="utf-8")


def write_report(result, staging: Path) -> None:
    data = report_data(result, staging)
    (staging / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    (staging / "report.html").write_bytes(_html(data, result.text.split("\n"), result.issue.meta.language))
