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
                     **({"joined": f"{c.link[0]}→{c.link[1]}"} if c.link else {})}
                    for c in log.changes],
        "dropped": [{"rule": d.rule, "lines": str(d.span), "text": d.text, "reason": d.reason} for d in log.drops],
        "warnings": [{"rule": w.rule, "lines": str(w.span) if w.span else None, "message": w.message}
                     for w in log.warnings],
    }
    data["figures"] = _figures(issue, result.page_starts)
    if result.text_lost:   # letters, digits and Han characters of the document not on a PDF's pages
        data["pdf_text_lost"] = result.text_lost
    epub = staging / f"{issue.meta.id}.epub"
    if epub.exists():
        data["han_accounting"] = han_accounting(result.text, epub_text(epub), [d.text for d in log.drops])
    return data


def _figures(issue, page_starts: dict) -> list[dict]:
    """Every picture in the editions: where it came from, its caption and what a reader who
    cannot see it is told (and whether that describes it), and the print page it is on."""
    page_of = {name: page for page, names in sorted(page_starts.items()) for name in names}
    words = issue_words(issue)
    return [{"id": fid, "lines": str(f.span), "file": f.file, "caption": f.text, "alt": figure_alt(f, words),
             "alt_from": f.alt_from or ("passage" if f.near else "decorative"), "described": f.alt_from in DESCRIBED,
             "pixels": list(f.size), "print_page": page_of.get(fid)}
            for fid, f in figures_by_id(issue).items()]


def _html(data: dict) -> bytes:
    html = E("html", {"lang": "zh-CN"})
    head = sub(html, "head")
    sub(head, "meta", {"charset": "utf-8"})
    sub(head, "title", text=f"Build report {data['issue']}")
    sub(head, "style", text="body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em;max-width:80em}"
                            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
                            "vertical-align:top;font-size:90%}td.t{max-width:40em;white-space:pre-wrap}"
                            "h2{margin-top:1.5em}.warn{color:#a40}")
    body = sub(html, "body")
    sub(body, "h1", text=f"Build report: {data['title']} {data['issue']}")
    sub(body, "h2", text="Editions")
    t = sub(body, "table")
    for name, e in data["editions"].items():
        tr = sub(t, "tr")
        sub(tr, "td", text=name)
        sub(tr, "td", text=f"{e['bytes']:,} bytes")
        sub(tr, "td", text=e["sha256"])
    sub(body, "p", text="Pages: " + ", ".join(f"{k} {v}" for k, v in data["pages"].items()))
    acc = data.get("han_accounting")
    if acc:
        sub(body, "p", text=f"Han characters in the source: {acc['raw']:,}; not in the EPUB and not "
                            f"listed as dropped: {acc['missing_count']}")
    if data.get("pdf_text_lost"):
        sub(body, "p", text="Letters, digits and Han characters of the document that are not on the pages "
                            "(pdftotext): " + ", ".join(f"{k} PDF {'not checked' if v is None else v}"
                                                        for k, v in data["pdf_text_lost"].items()))
    sub(body, "h2", text="Structure")
    ol = sub(body, "ol")
    for s in data["structure"]["sections"]:
        li = sub(ol, "li", text=s["name"])
        al = sub(li, "ol")
        for a in s["articles"]:
            sub(al, "li", text=f"{a['title']} (printed p. {a['printed_page']}, raw lines {a['lines']})")
    sub(body, "h2", text=f"Warnings ({len(data['warnings'])})")
    ul = sub(body, "ul")
    for w in data["warnings"]:
        sub(ul, "li", {"class": "warn"}, text=f"[{w['rule']}] lines {w['lines']}: {w['message']}")
    figures = data.get("figures", [])
    sub(body, "h2", text=f"Pictures ({len(figures)})")
    if figures:
        undescribed = sum(1 for f in figures if not f["described"])
        if undescribed:
            sub(body, "p", {"class": "warn"}, text=f"{undescribed} pictures have no description from the "
                "extractor, no caption and no text of their own: readers who cannot see them are told the "
                "passage they illustrate.  A `figure` fix with `text` describes one.")
        t = sub(body, "table")
        tr = sub(t, "tr")
        for head in ("raw lines", "print page", "file", "caption", "text for readers who cannot see it", "from"):
            sub(tr, "th", text=head)
        for f in figures:
            tr = sub(t, "tr")
            for v in (f["lines"], str(f["print_page"] or ""), f["file"], f["caption"], f["alt"], f["alt_from"]):
                sub(tr, "td", {"class": "t"}, text=v or "")
    missing = [d for d in data["dropped"] if d["rule"] == "pictures.missing"]
    sub(body, "h2", text=f"Pictures missing ({len(missing)})")
    if missing:
        sub(body, "p", text="Captions, slide and poster text whose picture is not in the editions, and "
                            "references to files that are not in the issue folder.  In fixes.toml, `keep` "
                            "shows the text, `figure` with file = \"images/…\" places a picture for it.")
        t = sub(body, "table")
        for d in missing:
            tr = sub(t, "tr")
            sub(tr, "td", text=d["lines"])
            sub(tr, "td", {"class": "t"}, text=d["text"])
            sub(tr, "td", {"class": "t"}, text=d["reason"])
    sub(body, "h2", text=f"Dropped text ({len(data['dropped'])})")
    t = sub(body, "table")
    for d in data["dropped"]:
        tr = sub(t, "tr")
        for v in (d["rule"], d["lines"], d["reason"]):
            sub(tr, "td", text=v)
        sub(tr, "td", {"class": "t"}, text=d["text"])
    sub(body, "h2", text=f"Changes ({len(data['changes'])})")
    t = sub(body, "table")
    for rule, n in data["changes_by_rule"].items():
        tr = sub(t, "tr")
        sub(tr, "td", text=rule)
        sub(tr, "td", text=str(n))
    for rule in data["changes_by_rule"]:
        sub(body, "h3", text=rule)
        t = sub(body, "table")
        for c in data["changes"]:
            if c["rule"] == rule:
                tr = sub(t, "tr")
                sub(tr, "td", text=c.get("joined", c["lines"]))
                sub(tr, "td", {"class": "t"}, text=c["before"])
                sub(tr, "td", {"class": "t"}, text=c["after"])
    return lxml_html.tostring(html, doctype="<!DOCTYPE html>", encoding="utf-8")


def write_report(result, staging: Path) -> None:
    data = report_data(result, staging)
    (staging / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    (staging / "report.html").write_bytes(_html(data))
