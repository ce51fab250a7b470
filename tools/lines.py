"""How the justified lines of an issue's PDFs end, measured in the PDFs themselves.

    .venv/bin/python tools/lines.py sources/2025-08 [--formats screen,print] [--json] [--list N]

Each edition is laid out and written here (in this process, into a temporary folder); the lines
come from WeasyPrint's boxes (every line of a justified <p>: page, baseline, column edges, whether
it ends its paragraph), what is drawn on them from `pdftotext -bbox-layout` (poppler's words: a
gap of more than 0.1 em between two glyphs starts a new word).  For each edition:

- flush: lines that do not end a paragraph and end within 0.5 pt of the column's edge;
- short: those that end before it (with what the next line starts with: what did not fit);
- overflowing: lines drawn more than 0.5 pt past the column;
- gaps: places where poppler splits two CJK characters into two words -- a gap between them that
  a reader's PDF tool takes for a space -- unless the source has a space there (the line's text
  holds one; a justified space is wider than 0.2 em);
- lone: paragraphs whose last line is one character, or one and its stop;
- stranded: headings in an article body set at the foot of a column or page, their text in the
  next one;
- titles: article titles set on two lines, and those not broken where render/titles.py cuts them
  (between words);
- tables: the body rows each table sets on each page ([7]: whole; [4, 3]: split after row 4), and
  whether it is short enough never to be split (class table-whole, render/xhtml.py).

A full-width stop set at half width (`halt`) at the end of a tightened line advances half an em
(a quarter each side when the face centres it, as Noto CJK TC does) while poppler's box for its
glyph is the font's full em: the line ends where the advance ends.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PT = 0.75   # CSS px → PDF pt
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
STOPS = "，。、；：！？）」』》】〕〗〉”’"
# Noto CJK: the glyph box is 1.438 em high, the baseline 0.287 em above its foot
DESCENT = 0.287 / 1.438


def layout_lines(doc) -> list[dict]:
    from weasyprint.formatting_structure import boxes
    lines, order = [], {}

    def walk(box, page):
        if (isinstance(box, boxes.BlockBox) and box.element_tag == "p"
                and box.style["text_align_all"] == "justify"):
            left, key = box.content_box_x(), order.setdefault(id(box.element), len(order))
            for line in box.children:
                if isinstance(line, boxes.LineBox):
                    lines.append({"page": page, "baseline": (line.position_y + line.baseline) * PT,
                                  "left": left * PT, "right": (left + box.width) * PT, "para": key,
                                  "size": box.style["font_size"] * PT})
            return
        for child in getattr(box, "children", []):
            walk(child, page)

    for number, page in enumerate(doc.pages):
        walk(page._page_box, number)
    for k, line in enumerate(lines):
        line["last"] = k + 1 == len(lines) or lines[k + 1]["para"] != line["para"]
    return lines


def pdf_words(pdf: Path) -> list[list[tuple]]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [[(float(a), float(b), float(c), float(d), unescape(t)) for a, b, c, d, t in WORD.findall(page)]
            for page in xml.split("<page ")[1:]]


def measure(doc, pdf: Path, dx: float = 0.0) -> dict:
    """The line ends of one PDF; dx: where the page's trim box starts in the PDF (print: bleed)."""
    lines, words = layout_lines(doc), pdf_words(pdf)
    for ln in lines:
        found = sorted(w for w in words[ln["page"]]
                       if abs(w[3] - DESCENT * (w[3] - w[1]) - ln["baseline"] - dx) < 1.5
                       and w[0] > ln["left"] + dx - 1 and w[2] < ln["right"] + dx + 20)
        ln["text"] = "".join(w[4] for w in found)
        ln["end"] = None
        if not found:
            continue
        end = max(w[2] for w in found) - dx
        if found[-1][4][-1:] in STOPS:
            for half in (0.5, 0.25):
                if abs(ln["right"] - (end - half * ln["size"])) <= 0.5:
                    end -= half * ln["size"]
                    break
        ln["end"] = end
        ln["gaps"] = [round((b[0] - a[2]) / ln["size"], 3) for a, b in zip(found, found[1:])
                      if CJK_CHAR.match(a[4][-1:]) and CJK_CHAR.match(b[4][:1])
                      and (b[0] - a[2]) / ln["size"] < 0.2]
    body = [(k, ln) for k, ln in enumerate(lines) if not ln["last"] and ln["end"] is not None]
    nxt = lambda k: lines[k + 1]["text"][:16] if k + 1 < len(lines) else ""   # noqa: E731
    short = [{"page": ln["page"] + 1, "em": round((ln["right"] - ln["end"]) / ln["size"], 2),
              "end": ln["text"][-12:], "next": nxt(k)}
             for k, ln in body if ln["right"] - ln["end"] > 0.5]
    return {
        "lines": len(body),
        "flush": sum(abs(ln["right"] - ln["end"]) <= 0.5 for _, ln in body),
        "short": sorted(short, key=lambda s: -s["em"]),
        "overflowing": [{"page": ln["page"] + 1, "pt": round(ln["end"] - ln["right"], 1), "end": ln["text"][-12:]}
                        for ln in lines if ln["end"] is not None and ln["end"] - ln["right"] > 0.5],
        "gaps": [{"page": ln["page"] + 1, "em": g, "text": ln["text"]} for ln in lines for g in ln.get("gaps", [])],
        "lone": [{"page": ln["page"] + 1, "text": ln["text"]} for k, ln in enumerate(lines)
                 if ln["last"] and k and not lines[k - 1]["last"] and len(ln["text"].rstrip(STOPS)) <= 1],
        "unmatched": sum(ln["end"] is None for ln in lines),
        "tables": tables(doc),
        "stranded": stranded(doc),
    }


def titles(issue, pdf: Path) -> dict:
    """Two-line article titles (18 pt lines in the PDF), and those not broken at their halves."""
    from pipeline.render.titles import halves
    from pipeline.render.xhtml import with_gap
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = []
    for page in xml.split("<page ")[1:]:
        rows: dict = {}
        for a, b, _, d, t in WORD.findall(page):
            if 24 < float(d) - float(b) < 28:     # 18 pt in Noto CJK: the glyph box is 1.438 em
                rows.setdefault(round(float(b)), []).append((float(a), unescape(t)))
        lines += ["".join(t for _, t in sorted(rows[y])) for y in sorted(rows)]
    bare = lambda text: text.replace("\u2005", "").replace(" ", "")    # noqa: E731
    two, wrong = 0, []
    for a in issue.articles:
        title = bare(with_gap(a.title))
        for first, second in zip(lines, lines[1:]):
            if first + second == title:
                two += 1
                cut = halves(with_gap(a.title), issue.meta.language)
                if not cut or first != bare("".join(cut[0])):
                    wrong.append(f"{first}|{second}")
                break
    return {"two_lines": two, "not_at_halves": wrong}


def stranded(doc) -> list[dict]:
    """Headings (h3-h6) whose next block starts in another column or on another page."""
    from weasyprint.formatting_structure import boxes
    blocks = []     # (page, column x, tag, text) of each block of the article bodies, in order

    def text(box):
        return "".join(getattr(b, "text", "") or text(b) for b in getattr(box, "children", []))

    def walk(box, page, body):
        tag = getattr(box, "element_tag", None)
        el = getattr(box, "element", None)
        inside = body or (el is not None and tag == "div" and "article-body" in (el.get("class") or "").split())
        if body and isinstance(box, boxes.BlockBox) and tag in ("p", "h3", "h4", "h5", "h6", "table", "ul", "ol", "figure"):
            blocks.append((page, round(box.position_x), tag, text(box)[:20], id(el)))
            return
        for child in getattr(box, "children", []):
            walk(child, page, inside)

    for n, page in enumerate(doc.pages):
        walk(page._page_box, n, False)
    out = []
    for a, b in zip(blocks, blocks[1:]):
        if a[2] in ("h3", "h4", "h5", "h6") and a[4] != b[4] and (a[0], a[1]) != (b[0], b[1]):
            out.append({"page": a[0] + 1, "heading": a[3], "next": b[3]})
    return out


def tables(doc) -> dict:
    from pipeline.render import fit
    whole = set()

    def walk(box, wrapped):
        el = getattr(box, "element", None)
        classes = (el.get("class") or "").split() if el is not None and box.element_tag == "div" else []
        if getattr(box, "element_tag", None) == "table" and wrapped and el is not None:
            whole.add(el.get("id"))
        for child in getattr(box, "children", []):
            walk(child, wrapped or "table-whole" in classes)

    for page in doc.pages:
        walk(page._page_box, False)
    return {t: {"rows": rows, "whole": t in whole} for t, rows in fit.table_rows_by_page(doc).items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source")
    ap.add_argument("--formats", default="screen,print")
    ap.add_argument("--json", action="store_true", help="the measurements as JSON on stdout")
    ap.add_argument("--list", type=int, default=10, help="short lines to list (text output)")
    args = ap.parse_args(argv)

    import pypdf
    from pipeline.build import make_model
    from pipeline.render import pdf as render

    folder = Path(args.source)
    issue, _, _ = make_model(folder)
    laid_out = {}
    lay_out = render._lay_out

    def keep(*a, **k):      # the document laid out, before it is padded and written
        result = lay_out(*a, **k)
        laid_out["doc"] = result[1]
        return result

    render._lay_out = keep
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for edition in args.formats.split(","):
            target = Path(tmp) / f"{edition}.pdf"
            render.render_pdf(issue, edition, folder, target)
            page = pypdf.PdfReader(target).pages[0]
            dx = float(page.trimbox.left) - float(page.mediabox.left)
            results[edition] = measure(laid_out["doc"], target, dx)
            results[edition]["titles"] = titles(issue, target)
    render._lay_out = lay_out
    if args.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=1)
        return 0
    for edition, r in results.items():
        print(f"{edition}: {r['flush']}/{r['lines']} lines flush ({r['flush'] / max(1, r['lines']):.1%}), "
              f"{len(r['short'])} short, {len(r['overflowing'])} overflowing, {len(r['gaps'])} gaps between "
              f"CJK characters, {len(r['lone'])} lone last characters, {r['unmatched']} lines not found")
        for s in r["short"][:args.list]:
            print(f"  p{s['page']}: {s['em']} em short: …{s['end']} | {s['next']}…")
        for o in r["overflowing"][:args.list]:
            print(f"  p{o['page']}: {o['pt']} pt past the column: …{o['end']}")
        split = {t: v["rows"] for t, v in r["tables"].items() if len(v["rows"]) > 1}
        print(f"  tables: {len(r['tables'])}, {sum(v['whole'] for v in r['tables'].values())} short enough "
              f"never to split; split: {split or 'none'}")
        print(f"  titles on two lines: {r['titles']['two_lines']}, not broken between their halves: "
              f"{r['titles']['not_at_halves'] or 'none'}")
        for h in r["stranded"]:
            print(f"  p{h['page']}: heading {h['heading']} at a column's foot, its text in the next")
        for lone in r["lone"]:
            print(f"  p{lone['page']}: last line {lone['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
