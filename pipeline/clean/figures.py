"""figures: what belongs to a picture, a chart or a table rather than to
the prose: captions, the text inside images and slides, and what was left
standing between the two halves of a cut sentence."""
from __future__ import annotations

import re

from ..model import Editor, Heading, Paragraph, Table
from ..text import HAN, HAN_CHAR, KANA, PROSE_MARKS, TERMINAL, TRAD_ONLY, all_bold, hant_language, latin_only, traditional
from .join import MAX_STEPS
from .junction import NO_TITLE_END, POSTS, han_stats, junction_evidence
from .shapes import (ENUMERATOR, FIELD, FIELD_NAMES, NUMBERED_LINE, SOURCE_LINE, body_paragraphs, is_prose,
                     is_title_line, lines_of)


# how a caption starts: it marks its picture (▲; △ but not △ABC, a triangle) or numbers it
PICTURE_MARK = r"▲|△(?!\s*[A-Z])|图\s*\d|圖\s*\d|Fig\.?\s*\d|Figure\s*\d"
CAPTION = re.compile(rf"^\s*(?:{PICTURE_MARK}|表\s*\d|Table\s*\d)", re.I)     # of a picture or a table


# a caption speaks of its picture: where things are in it, what it shows
PICTURE_CUE = re.compile(
    r"[（(](?:左|右|上|下|中)[上下左右]?(?:[与和、及][左右上下中]{1,2})*[)）]"   # (左) (右上与右下)
    r"|(?:左|右|上|下)(?:侧|边|方|图|角)(?:为|是|的照片)|照片|示意图|截图|结构图|外观图")


COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)\s|Copyright\b|版权所有)|^\s*\d{4}\s+Copyright\b", re.I)


# "科技部七司副司长秦浩源": a photo of a person is captioned with post and name
PERSON_CAPTION = re.compile(f"(?:{POSTS})[{HAN}]{{2,3}}$")


UNIT_NOTE = re.compile(r"[（(]\s*(?:单位|單位|Unit)\s*[:：]", re.I)   # "（单位：亿元）" titles a chart


def _goes_on_after_table(blocks, n, stats) -> bool:
    """A sentence cut just before a table ("…的良性循" | table | "环，才能…")
    is no caption: the text after the table plainly goes on with it."""
    after = next((b for b in blocks[n + 1:] if not isinstance(b, Table)), None)
    return _goes_on(blocks, n, after, stats)


def _goes_on(blocks, n, after, stats) -> bool:
    if not isinstance(after, Paragraph):
        return False
    score, structural = junction_evidence(blocks[n].text, after.text, stats)
    return structural or score >= 2


def _goes_on_nearby(blocks, n, stats) -> bool:
    """Some paragraph soon after blocks[n] plainly goes on with it.  Past the
    first prose, a tail that merely never opens a clause is no evidence: it
    needs a text cut before it, and the nearer prose would be that."""
    seen_prose = seen_heading = False
    for b in blocks[n + 1:n + 1 + MAX_STEPS]:
        if isinstance(b, Paragraph):
            score, structural = junction_evidence(blocks[n].text, b.text, stats, tail_alone=not seen_prose)
            if structural or score >= 2 and not seen_heading:   # a heading is crossed on structure only
                return True
        seen_prose = seen_prose or isinstance(b, Paragraph) and is_prose(b)
        seen_heading = seen_heading or isinstance(b, Heading)
    return False


def _between_prose(blocks, n) -> bool:
    """A short line with finished prose before it and prose after it."""
    if not 0 < n < len(blocks) - 1:
        return False
    before, after = blocks[n - 1], blocks[n + 1]
    t = blocks[n].text.strip()
    if t[:1] in "（(【[":
        return False   # "（…）" is an editor's note
    finished = isinstance(before, Paragraph) and before.role == "body" and before.text.rstrip()[-1:] in TERMINAL
    prose_after = isinstance(after, Paragraph) and after.role == "body" and is_prose(after)
    # before a heading: a figure's caption at a section's end, but not the
    # article's own last line ("（来源：…）", "编辑：…") nor a bold sub-title
    section_end = isinstance(after, Heading) and not (SOURCE_LINE.match(t) or FIELD.match(t) or all_bold(blocks[n].runs))
    return finished and (prose_after or section_end)


def captions(blocks, ctx):
    """Photo and figure captions (▲ …, 图1 …, Fig. 1. …) and the title line
    just above a table are set as captions, never joined into prose."""
    for n, b in body_paragraphs(blocks):
        t = b.text.strip()
        before_table = n + 1 < len(blocks) and isinstance(blocks[n + 1], Table)
        if before_table and is_title_line(t):
            before_table = not _goes_on_after_table(blocks, n, han_stats(blocks, ctx))
        if not before_table and _between_prose(blocks, n) and is_title_line(t) and len(t) < 30 \
                and not FIELD_NAMES.match(t):
            # a photo's caption, unless a paragraph nearby plainly goes on with it
            before_table = not _goes_on_nearby(blocks, n, han_stats(blocks, ctx))
        kana = ctx.language.startswith("zh") and KANA.search(t) and len(t) < 100 and "\n" not in t
        prev = blocks[n - 1] if n > 0 else None
        after_caption = (isinstance(prev, Paragraph) and prev.role == "caption" and "\n" not in t
                         and (len(t) < 80 and t[-1:] not in TERMINAL and not any(c in "，。；" for c in t)
                              and t[-1] not in "、" and t[-1] not in NO_TITLE_END   # "…元素 Te、" is cut
                              # an English figure caption, then its translation: "标题。说明……"
                              or latin_only(prev.text) and is_title_line(t.split("。")[0]) and "。" in t))
        # a line that speaks of its picture, or a person's post and name, or a credit
        pictured = "\n" not in t and (len(t) < 200 and PICTURE_CUE.search(t) and t[-1:] not in TERMINAL
                                      or len(t) < 30 and PERSON_CAPTION.search(t) and not any(c in PROSE_MARKS for c in t)
                                      # a credit with a Chinese title (an English one is image text)
                                      or len(t) < 200 and COPYRIGHT.match(t) and HAN_CHAR.search(t))
        if after_caption or pictured:   # unless a paragraph nearby plainly goes on with it
            if _goes_on_nearby(blocks, n, han_stats(blocks, ctx)):
                after_caption = pictured = False
        if ((CAPTION.match(t) and len(t) < 100 and "\n" not in t) or (before_table and is_title_line(t))
                or kana or after_caption or pictured):
            b.role = "caption"
            if kana:
                b.lang = "ja"   # a Japanese caption quoted with its figure
            ctx.log.change("captions", b.span, t, "caption: " + t)
    for n, b in enumerate(blocks):
        if not isinstance(b, Heading) or Editor.KEEP in b.editor:
            continue
        # "营收变化（单位：亿元）": a chart's or table's title, set as a heading;
        # "### 全球铜价走势" right above a table: the table's title (no section opens on a table)
        table_title = (b.level >= 3 and len(b.text) < 40 and n + 1 < len(blocks) and isinstance(blocks[n + 1], Table)
                       and not (NUMBERED_LINE.match(b.text) or ENUMERATOR.match(b.text)))   # "2 平台资质" numbers a section
        if UNIT_NOTE.search(b.text) or table_title:
            blocks[n] = Paragraph(b.span, runs=b.runs, role="caption")
            ctx.log.change("captions", b.span, b.text, "caption: " + b.text)
    return blocks


ABBREVIATION = re.compile(r"\b(?:vs|Fig|No|Inc|Ltd|Co|Corp|etc|e\.g|i\.e|Dr|Mr|Ms|St|Jan|Feb|Mar|Apr|Jun|"
                          r"Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.", re.I)


def _english_sentences(t: str) -> bool:
    """Two English sentences or more ("vs." and "Fig." end none)."""
    return re.search(r"[.!?]\s+[A-Z]", ABBREVIATION.sub("", t)) is not None


def _english_prose_follows(blocks, n) -> bool:
    nxt = next((b for b in blocks[n + 1:] if not isinstance(b, Heading)), None)
    return (isinstance(nxt, Paragraph) and latin_only(nxt.text)
            and (len(nxt.text) >= 160 or _english_sentences(nxt.text)))


def _chart_runs(blocks) -> list[int]:
    """Pages of a report reproduced as images: chart titles (short, no full
    stop), source lines (资料来源：…) and a sentence or two, paragraph after
    paragraph, ending with a source line.  Two sources and three titles at
    least; a sentence counts only between them."""
    kinds = []
    for b in blocks:
        if not (isinstance(b, Paragraph) and b.role in ("body", "caption") and Editor.KEEP not in b.editor):
            kinds.append(None)
            continue
        t = b.text.strip()
        kinds.append("T" if b.role == "caption" else "S" if SOURCE_LINE.match(t) and len(t) < 100 else
                     "T" if len(t) < 100 and t[-1:] not in TERMINAL else "P")
    found, i = [], 0
    while i < len(kinds):
        if kinds[i] not in ("S", "T"):
            i += 1
            continue
        j, last_source = i, None
        while j < len(kinds) and kinds[j] in ("S", "T", "P"):
            if kinds[j] == "P" and not (j + 1 < len(kinds) and kinds[j + 1] in ("S", "T")):
                break
            if kinds[j] == "S":
                last_source = j
            j += 1
        if last_source is not None:
            run = kinds[i:last_source + 1]
            if run.count("S") >= 2 and run.count("T") >= 3 and run.count("P") <= run.count("S") + run.count("T"):
                found += range(i, last_source + 1)
        i = max(j, i + 1) if last_source is None else last_source + 1
    return found


def image_text(blocks, ctx):
    """Text that stood inside a chart, slide or document image: kept, but set
    as image text, not prose.  Seen as (a) a block of short hard-broken lines,
    mostly without clause marks, with a source line among them; (b) short
    English lines in a Chinese issue (chart titles, legends, © lines,
    a chart's source).  A long English passage is prose (a quoted press
    release) and stays."""
    zh = ctx.language.startswith("zh")
    for n, b in body_paragraphs(blocks):
        lines = lines_of(b)
        t = b.text.strip()
        why = None
        if len(lines) >= 3 and any(SOURCE_LINE.match(x) for x in lines) and sum(
                not any(c in PROSE_MARKS for c in x) for x in lines) * 2 >= len(lines):
            why = "lines of a chart or slide"
        elif zh and latin_only(t) and len(t) < 160 and not _english_sentences(t):
            why = "English text of a chart or image"
        elif zh and traditional(t) and not hant_language(ctx.language) \
                and (len(lines) >= 2 or not any(c in "，。" for c in t)):   # prose copied from a prospectus stays prose
            why = "lines of a document in Traditional script, quoted as an image"   # language_tags tags it
        if why:
            b.role = "figure-text"
            ctx.log.change("image_text", b.span, t, "image text: " + t)
    for n in _chart_runs(blocks):
        b = blocks[n]
        b.role = "figure-text"
        ctx.log.change("image_text", b.span, b.text, "image text (charts and their sources): " + b.text)
    if zh and not hant_language(ctx.language):
        for n, b in enumerate(blocks):
            # a heading in Traditional script inside a Simplified issue is the
            # text of a logo or a quoted document, not a title of this issue
            if isinstance(b, Heading) and Editor.KEEP not in b.editor and any(c in TRAD_ONLY for c in b.text) and len(b.text) < 20:
                blocks[n] = Paragraph(b.span, runs=b.runs, role="figure-text", lang="zh-Hant")
                ctx.log.change("image_text", b.span, b.text, "image text: " + b.text)
            # an English heading in a Chinese issue titles a slide, unless English
            # prose follows it (a quoted press release keeps its heading) or it
            # translates the heading just before it ("# 目录", "## CONTENTS")
            elif isinstance(b, Heading) and Editor.KEEP not in b.editor and latin_only(b.text) \
                    and not _english_prose_follows(blocks, n) \
                    and not (n > 0 and isinstance(blocks[n - 1], Heading) and HAN_CHAR.search(blocks[n - 1].text)):
                blocks[n] = Paragraph(b.span, runs=b.runs, role="figure-text")
                ctx.log.change("image_text", b.span, b.text, "image text (a slide's title): " + b.text)
    return blocks


def stranded_text(blocks, ctx):
    """What stood between the two halves of a cut sentence was on the page
    at the break, not in the sentence's flow: a short title-like line there
    is a caption, a heading there is the text of a slide or image (no
    article's section starts mid-sentence).  Prose there is left alone: on
    a two-column page it may be the other column's text."""
    cuts = [(h, t) for h, t in ctx.cuts if h < t]
    if not cuts:
        return blocks
    stranded = [any(h < b.span.start and b.span.end < t for h, t in cuts) and Editor.KEEP not in b.editor for b in blocks]
    recast = {b.span for b, s in zip(blocks, stranded) if s}
    ctx.unjoined[:] = [(span, m) for span, m in ctx.unjoined if span not in recast]   # no cut texts after all
    out = []
    for n, b in enumerate(blocks):
        if not stranded[n]:
            out.append(b)
        elif isinstance(b, Heading) and n + 1 < len(blocks) and isinstance(blocks[n + 1], Table):
            out.append(Paragraph(b.span, runs=b.runs, role="caption"))   # the table's title
            ctx.log.change("stranded_text", b.span, b.text, "caption (a table's title inside a cut sentence): " + b.text)
        elif isinstance(b, Heading):
            out.append(Paragraph(b.span, runs=b.runs, role="figure-text"))
            ctx.log.change("stranded_text", b.span, b.text, "image text (a heading inside a cut sentence): " + b.text)
        elif isinstance(b, Paragraph) and b.role == "body" and _is_label(b.text.strip()) and not SOURCE_LINE.match(b.text):
            b.role = "caption"
            ctx.log.change("stranded_text", b.span, b.text, "caption (a line inside a cut sentence): " + b.text)
            out.append(b)
        else:
            out.append(b)
    return out


def _is_label(t: str) -> bool:
    """A title, caption or slogan line ("内部资料严禁外传！" may end with a mark)."""
    return is_title_line(t[:-1] if t[-1:] in "！!" else t)
