"""noise: text the extractor gives that is not the magazine's: the
disclaimer's copies, its own image descriptions, redaction marks, the text of
screenshots, running heads."""
from __future__ import annotations

import difflib
import re

from collections import defaultdict

from ..model import Editor, Heading, Paragraph
from ..text import HAN, PROSE_MARKS, SOURCE_LINE, delete, edit_runs, latin_only, squash
from .lexicon import LEXICON, alternatives
from .shapes import body_paragraphs


DISCLAIMER_HEAD = re.compile(r"^\s*\*?\s*免责声明\s*[:：]?\s*$")


def drop_disclaimer(blocks, ctx):
    """The disclaimer is printed from magazine.toml; its copies in the text go."""
    out, skip_next = [], False
    canonical = squash(ctx.magazine.get("disclaimer", ""))
    for b in blocks:
        if isinstance(b, Paragraph) and DISCLAIMER_HEAD.match(b.text):
            ctx.log.drop("drop_disclaimer", b.span, b.text, "disclaimer heading; canonical text from magazine.toml")
            skip_next = True
            continue
        if skip_next and isinstance(b, Paragraph):
            skip_next = False
            body = squash(b.text)
            if canonical and _similar(body, canonical):
                ctx.log.drop("drop_disclaimer", b.span, b.text, "disclaimer copy; canonical text from magazine.toml")
                continue
        skip_next = False
        out.append(b)
    return out


def _similar(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"[\W_]", "", s)
    return difflib.SequenceMatcher(None, norm(a), norm(b)).ratio() > 0.9


DESCRIPTION = re.compile(
    r"^(?:an?|the)\s+(?:photo|photograph|image|picture|diagram|chart|graph|screenshot|figure|logo|"
    r"illustration|map|poster|slide)\b|^(?:photo|image|picture|screenshot|diagram|logo|illustration)s?"
    r"\s+(?:of|showing|shows|with)\b", re.I)


def image_descriptions(blocks, ctx):
    """What the extractor wrote about an image ("A photo of …", or one English
    sentence repeated with other numbers) is not the magazine's text: it
    goes.  Seen as English in a Chinese issue that either opens like a
    description or repeats one template with other numbers."""
    if not ctx.language.startswith("zh"):
        return blocks
    shape = lambda t: re.sub(r"\d+", "#", t.strip())
    paras = [(n, b) for n, b in body_paragraphs(blocks) if latin_only(b.text) and len(b.text) < 200]
    drop = set()
    for (n1, b1), (n2, b2) in zip(paras, paras[1:]):
        if n2 == n1 + 1 and shape(b1.text) == shape(b2.text) and b1.text.strip() != b2.text.strip():
            drop |= {n1, n2}
    drop |= {n for n, b in paras if DESCRIPTION.match(b.text.strip())}
    for n in sorted(drop):
        ctx.log.drop("image_descriptions", blocks[n].span, blocks[n].text,
                     "the extractor's description of an image, not the magazine's text")
    return [b for n, b in enumerate(blocks) if n not in drop]


MARKS = alternatives(LEXICON["redaction_marks"])
REDACTION = re.compile(f"\\[(?:{MARKS})\\]")


MARKS_LINE = re.compile(f"(?:^|\\n)[ \\t]*(?:\\[(?:{MARKS})\\][ \\t]*)+(?=\\n|$)")


def redaction_marks(blocks, ctx):
    """Lines that hold nothing but redaction marks ([編纂] in a draft
    prospectus) say nothing; they go, the lines around them stay."""
    drop = set()
    for n, b in enumerate(blocks):
        if not isinstance(b, Paragraph):
            continue   # even in image text or a kept block: marks alone are no text
        rest = REDACTION.sub("", b.text)
        if REDACTION.search(b.text) and not re.search(r"\w", rest):
            drop.add(n)
            ctx.log.drop("redaction_marks", b.span, b.text, "redaction marks only")
        elif MARKS_LINE.search(b.text):
            for m in MARKS_LINE.finditer(b.text):
                ctx.log.drop("redaction_marks", b.span, m.group().strip(), "a line of redaction marks only")
            b.runs = edit_runs(b.runs, MARKS_LINE, delete)
    return [b for n, b in enumerate(blocks) if n not in drop]


NAV_TOKEN = re.compile(f"^[{HAN}A-Za-z*]{{2,10}}$")


HOME = frozenset(LEXICON["home"])   # a web page's navigation starts at home


BREADCRUMB = re.compile(f"^(?:{alternatives(HOME)})\\s*[>›»/]\\s*[{HAN}A-Za-z]{{2,12}}")


def _is_ui_text(t: str) -> bool:
    tokens = t.split()
    return ((len(tokens) >= 4 and tokens[0].strip("*") in HOME and all(NAV_TOKEN.match(x) for x in tokens))
            or BREADCRUMB.match(t.strip()) is not None)


def _is_ui_label(t: str) -> bool:
    """What follows a navigation bar in a screenshot: short labels, or rows
    of several labels, none of them a clause."""
    return not any(c in PROSE_MARKS for c in t) and (len(t) <= 10 or len(t.split()) >= 3)


def screenshot_text(blocks, ctx):
    """A web page's navigation bar (home, then short words, no punctuation)
    or breadcrumb comes from a screenshot; so do the short labels after it,
    up to where the prose resumes.  They go."""
    drop, in_shot = set(), False
    for n, b in enumerate(blocks):
        if not (isinstance(b, Paragraph) and b.role == "body" and Editor.KEEP not in b.editor):
            in_shot = False
            continue
        t = b.text.strip()
        if _is_ui_text(t):
            in_shot = True
        elif not (in_shot and _is_ui_label(t)):
            in_shot = False
            continue
        drop.add(n)
        ctx.log.drop("screenshot_text", b.span, b.text, "text of a screenshot (navigation, labels)")
    return [b for n, b in enumerate(blocks) if n not in drop]


def running_heads(blocks, ctx):
    """The magazine's name or a section name alone on a line, amid an
    article, is the running head of a printed page: it goes."""
    names = {ctx.magazine.get("masthead", ""), ctx.magazine.get("masthead_en", "")}
    names |= set(ctx.magazine.get("sections", []))
    names = {squash(x) for x in names if x}
    drop = set()
    for n, b in body_paragraphs(blocks):
        if squash(b.text) in names and 0 < n < len(blocks) - 1:
            drop.add(n)
            ctx.log.drop("running_heads", b.span, b.text, "running head of a printed page")
    return [b for n, b in enumerate(blocks) if n not in drop]


# furniture of a printed page, found by repetition (any publication, any script)
FURNITURE_MIN = 3          # times a line stands alone in the text
FURNITURE_SPREAD = 0.4     # share of the text between its first and last time: page after page
PAGE_WORD = re.compile(r"[页頁]|\bpages?\b|\bp\.|\bseite\b|\bpágina\b|\bстр", re.I)
FURNITURE_LENGTH = (6, 60)  # characters (without spaces): a word or two is text, a paragraph is text


def _line_shape(line: str) -> str | None:
    """A line as a pattern, its numbers any numbers (第1頁，共計8頁 → 第\\d+頁，共計\\d+頁); None for
    a line that is no candidate: table rows, formulas, a source line (articles share sources)."""
    t = line.strip()
    n = len(squash(t))
    if not FURNITURE_LENGTH[0] <= n <= FURNITURE_LENGTH[1] or "\t" in t or "$" in t or SOURCE_LINE.match(t):
        return None
    # numbers vary only in a page counter: a short line that names a page (numbered
    # questions and paragraphs vary too, and are text)
    counter = n <= 20 and "。" not in t and PAGE_WORD.search(t)
    return r"[ \t]*".join(r"\d+" if part.isdigit() and counter else re.escape(part)
                            for part in re.findall(r"\d+|\S", t))


def repeated_lines(blocks, ctx):
    """A line repeated alone on page after page (a footer, a watermark, a page
    counter `第1頁，共計8頁`, in any script) is furniture of the printed page:
    it goes, with a report entry each time, also where the extractor glued it
    to the text before or after it.  Generalises `running_heads` to what no
    magazine.toml names."""
    seen: dict[str, list[int]] = defaultdict(list)
    end = max((b.span.end for b in blocks), default=0)
    for b in blocks:
        if isinstance(b, (Paragraph, Heading)) and Editor.KEEP not in b.editor:
            for line in b.text.split("\n"):
                shape = _line_shape(line)
                if shape:
                    seen[shape].append(b.span.start)
    furniture = [shape for shape, at in seen.items()
                 if len(at) >= FURNITURE_MIN and at[-1] - at[0] >= FURNITURE_SPREAD * end]
    if not furniture:
        return blocks
    any_line = "|".join(f"(?:{f})" for f in furniture)
    whole = re.compile(rf"(?m)^[ \t]*(?:{any_line})[ \t]*(?:\n|$)|\n[ \t]*(?:{any_line})[ \t]*$")
    glued = re.compile(any_line)
    out = []
    for b in blocks:
        if not isinstance(b, (Paragraph, Heading)) or Editor.KEEP in b.editor or not glued.search(b.text):
            out.append(b)
            continue
        for m in glued.finditer(b.text):
            ctx.log.drop("repeated_lines", b.span, m.group().strip(),
                         "a line repeated on page after page (furniture of the printed page)")
        runs = edit_runs(edit_runs(b.runs, whole, delete), glued, delete)
        if not "".join(r.text for r in runs).strip():
            continue
        b.runs = runs
        out.append(b)
    return out
