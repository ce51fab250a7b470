"""clean: an ordered chain of small named rules over blocks.

Each rule is `rule(blocks, ctx) -> blocks` and records every change and drop in
`ctx.log`.  Rules can be switched off by name (see `RULES` and the `[clean]`
table of `sources/<issue>/fixes.toml`), like markdown-it-py's ruler.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from zhon import cedict

from .junction import (
    BRACKETS, HAN, HAN_CHAR, HanStats, NO_PARAGRAPH_START, NO_TITLE_END, POSTS,
    PROSE_MARKS, SPLIT_DECIMAL_HEAD, TERMINAL, closes_a_word, junction_evidence, unclosed)
from .model import Block, Heading, ListBlock, Log, Paragraph, Run, Table, plain

FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
DISCLAIMER_HEAD = re.compile(r"^\s*\*?\s*免责声明\s*[:：]?\s*$")


@dataclass
class Context:
    log: Log
    magazine: dict = field(default_factory=dict)
    disabled: set = field(default_factory=set)
    language: str = "zh-CN"
    stats: HanStats | None = None

    def han_stats(self, blocks) -> HanStats:
        """The issue's character statistics, counted once, before any join
        (so that no junction counts itself)."""
        if self.stats is None:
            self.stats = HanStats.of(blocks)
        return self.stats


# ---------------------------------------------------------------- run editing

def edit_runs(runs: list[Run], pattern: re.Pattern, repl) -> list[Run]:
    """Apply a character-level substitution across run boundaries.

    `repl(match)` returns a dict {absolute index: replacement text}; each
    replaced character keeps the marks of its run, so markup survives.
    """
    text = plain(runs)
    edits: dict[int, str] = {}
    for m in pattern.finditer(text):
        edits.update(repl(m))
    if not edits:
        return runs
    out, pos = [], 0
    for r in runs:
        chars = [edits.get(pos + k, ch) for k, ch in enumerate(r.text)]
        pos += len(r.text)
        new = "".join(chars)
        if new:
            out.append(Run(new, r.marks, r.lang))
    return out


def _text_blocks(blocks):
    """(block, getter, setter) for every run list a rule may edit."""
    for b in blocks:
        if isinstance(b, (Paragraph, Heading)):
            yield b, (lambda b=b: b.runs), (lambda v, b=b: setattr(b, "runs", v))
        elif isinstance(b, ListBlock):
            for k in range(len(b.items)):
                yield b, (lambda b=b, k=k: b.items[k]), (lambda v, b=b, k=k: b.items.__setitem__(k, v))


def _apply(blocks, ctx, rule, pattern, repl):
    for b, get, put in _text_blocks(blocks):
        if getattr(b, "lang", None) in ("zh-Hant", "ja"):
            continue
        before = get()
        after = edit_runs(before, pattern, repl)
        if after is not before and plain(after) != plain(before):
            ctx.log.change(rule, b.span, plain(before), plain(after))
            put(after)
    return blocks


# ---------------------------------------------------------------- the rules

def drop_disclaimer(blocks, ctx):
    """The disclaimer is printed from magazine.toml; its copies in the text go."""
    out, skip_next = [], False
    canonical = re.sub(r"\s", "", ctx.magazine.get("disclaimer", ""))
    for b in blocks:
        if isinstance(b, Paragraph) and DISCLAIMER_HEAD.match(b.text):
            ctx.log.drop("drop_disclaimer", b.span, b.text, "disclaimer heading; canonical text from magazine.toml")
            skip_next = True
            continue
        if skip_next and isinstance(b, Paragraph):
            skip_next = False
            body = re.sub(r"\s", "", b.text)
            if canonical and _similar(body, canonical):
                ctx.log.drop("drop_disclaimer", b.span, b.text, "disclaimer copy; canonical text from magazine.toml")
                continue
        skip_next = False
        out.append(b)
    return out


def _similar(a: str, b: str) -> bool:
    import difflib
    norm = lambda s: re.sub(r"[\W_]", "", s)
    return difflib.SequenceMatcher(None, norm(a), norm(b)).ratio() > 0.9


# ---------------------------------------------------------------- not prose
# The extractor also gives text that is not the magazine's prose: what it
# wrote about images, text inside screenshots, slides and charts, page
# furniture, captions.  Each rule below decides drop, image text or caption;
# `keep` in fixes.toml overrules them all.

def _paragraphs(blocks):
    for n, b in enumerate(blocks):
        if isinstance(b, Paragraph) and b.role == "body" and "keep" not in b.editor:
            yield n, b


def _lines(p: Paragraph) -> list[str]:
    return [ln.strip() for ln in p.text.split("\n") if ln.strip()]


def _latin_only(text: str) -> bool:
    return not HAN_CHAR.search(text) and re.search(r"[A-Za-z]{2}", text) is not None


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
    paras = [(n, b) for n, b in _paragraphs(blocks) if _latin_only(b.text) and len(b.text) < 200]
    drop = set()
    for (n1, b1), (n2, b2) in zip(paras, paras[1:]):
        if n2 == n1 + 1 and shape(b1.text) == shape(b2.text) and b1.text.strip() != b2.text.strip():
            drop |= {n1, n2}
    drop |= {n for n, b in paras if DESCRIPTION.match(b.text.strip())}
    for n in sorted(drop):
        ctx.log.drop("image_descriptions", blocks[n].span, blocks[n].text,
                     "the extractor's description of an image, not the magazine's text")
    return [b for n, b in enumerate(blocks) if n not in drop]


REDACTION = re.compile(r"\[(?:編纂|编纂|REDACTED|●)\]")


MARKS_LINE = re.compile(r"(?:^|\n)[ \t]*(?:\[(?:編纂|编纂|REDACTED|●)\][ \t]*)+(?=\n|$)")


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
            b.runs = edit_runs(b.runs, MARKS_LINE, lambda m: {k: "" for k in range(m.start(), m.end())})
    return [b for n, b in enumerate(blocks) if n not in drop]


NAV_TOKEN = re.compile(f"^[{HAN}A-Za-z*]{{2,10}}$")
HOME = {"首页", "主页", "Home", "HOME", "首頁"}   # a web page's navigation starts at home
BREADCRUMB = re.compile(f"^(?:首页|主页|Home|首頁)\\s*[>›»/]\\s*[{HAN}A-Za-z]{{2,12}}")


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
        if not (isinstance(b, Paragraph) and b.role == "body" and "keep" not in b.editor):
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


FIELD = re.compile(f"^[{HAN}]{{2,6}}[:：]")   # "联系人：…", "地址：…": a field, not a sentence
KANA = re.compile(r"[\u3040-\u30ff]")
# characters written only in Traditional script (CC-CEDICT, via zhon); 於 is
# listed as Simplified too, but a Simplified text writes 于
TRAD_ONLY = (set(cedict.traditional) - set(cedict.simplified)) | {"於"}
CAPTION = re.compile(r"^\s*(?:▲|△|图\s*\d|圖\s*\d|表\s*\d|Fig\.?\s*\d|Figure\s*\d|Table\s*\d)", re.I)
SOURCE_LINE = re.compile(r"^\s*[(（]?\s*(?:资料|資料|数据|數據|图片|圖片)?(?:来源|來源)\s*[:：]|^\s*\(?\s*Source\s*:", re.I)


# a caption speaks of its picture: where things are in it, what it shows
PICTURE_CUE = re.compile(
    r"[（(](?:左|右|上|下|中)[上下左右]?(?:[与和、及][左右上下中]{1,2})*[)）]"   # (左) (右上与右下)
    r"|(?:左|右|上|下)(?:侧|边|方|图|角)(?:为|是|的照片)|照片|示意图|截图|结构图|外观图")
COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)\s|Copyright\b|版权所有)|^\s*\d{4}\s+Copyright\b", re.I)
# "科技部七司副司长秦浩源": a photo of a person is captioned with post and name
PERSON_CAPTION = re.compile(f"(?:{POSTS})[{HAN}]{{2,3}}$")
UNIT_NOTE = re.compile(r"[（(]\s*(?:单位|單位|Unit)\s*[:：]", re.I)   # "（单位：亿元）" titles a chart
# what a field of a notice or a colophon is called ("地址：…"); other "X：Y"
# lines are titles ("聚碲氧烷：理想的 EUV 光刻胶材料")
FIELD_NAMES = re.compile(
    r"^\s*(?:时间|日期|地点|地址|电话|手机|邮箱|传真|网址|邮编|联系人|联系方式|主讲|主讲人|主办|主办单位|承办|"
    r"承办单位|协办|协办单位|指导单位|支持单位|来源|作者|编辑|记者|责任编辑|主编|出版|印刷)\s*[:：]")


def _is_title_line(t: str) -> bool:
    return (0 < len(t) < 40 and "\n" not in t and t[-1] not in "。；，、：:？！?!" and t[-1] not in NO_TITLE_END
            and not any(c in "，。；" for c in t))


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
        seen_prose = seen_prose or isinstance(b, Paragraph) and _is_prose(b)
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
    prose_after = isinstance(after, Paragraph) and after.role == "body" and _is_prose(after)
    # before a heading: a figure's caption at a section's end, but not the
    # article's own last line ("（来源：…）", "编辑：…") nor a bold sub-title
    section_end = isinstance(after, Heading) and not (SOURCE_LINE.match(t) or FIELD.match(t) or _all_bold(blocks[n]))
    return finished and (prose_after or section_end)


def _all_bold(b) -> bool:
    """A line set wholly in bold is a sub-title, not a caption."""
    return all("b" in r.marks for r in b.runs if r.text.strip())


def running_heads(blocks, ctx):
    """The magazine's name or a section name alone on a line, amid an
    article, is the running head of a printed page: it goes."""
    names = {ctx.magazine.get("masthead", ""), ctx.magazine.get("masthead_en", "")}
    names |= set(ctx.magazine.get("sections", []))
    names = {re.sub(r"\s", "", x) for x in names if x}
    drop = set()
    for n, b in _paragraphs(blocks):
        if re.sub(r"\s", "", b.text) in names and 0 < n < len(blocks) - 1:
            drop.add(n)
            ctx.log.drop("running_heads", b.span, b.text, "running head of a printed page")
    return [b for n, b in enumerate(blocks) if n not in drop]


def captions(blocks, ctx):
    """Photo and figure captions (▲ …, 图1 …, Fig. 1. …) and the title line
    just above a table are set as captions, never joined into prose."""
    for n, b in _paragraphs(blocks):
        t = b.text.strip()
        before_table = n + 1 < len(blocks) and isinstance(blocks[n + 1], Table)
        if before_table and _is_title_line(t):
            before_table = not _goes_on_after_table(blocks, n, ctx.han_stats(blocks))
        if not before_table and _between_prose(blocks, n) and _is_title_line(t) and len(t) < 30 \
                and not FIELD_NAMES.match(t):
            # a photo's caption, unless a paragraph nearby plainly goes on with it
            before_table = not _goes_on_nearby(blocks, n, ctx.han_stats(blocks))
        kana = ctx.language.startswith("zh") and KANA.search(t) and len(t) < 100 and "\n" not in t
        prev = blocks[n - 1] if n > 0 else None
        after_caption = (isinstance(prev, Paragraph) and prev.role == "caption" and "\n" not in t
                         and (len(t) < 80 and t[-1:] not in TERMINAL and not any(c in "，。；" for c in t)
                              and t[-1] not in "、" and t[-1] not in NO_TITLE_END   # "…元素 Te、" is cut
                              # an English figure caption, then its translation: "标题。说明……"
                              or _latin_only(prev.text) and _is_title_line(t.split("。")[0]) and "。" in t))
        # a line that speaks of its picture, or a person's post and name, or a credit
        pictured = "\n" not in t and (len(t) < 200 and PICTURE_CUE.search(t) and t[-1:] not in TERMINAL
                                      or len(t) < 30 and PERSON_CAPTION.search(t) and not any(c in PROSE_MARKS for c in t)
                                      # a credit with a Chinese title (an English one is image text)
                                      or len(t) < 200 and COPYRIGHT.match(t) and HAN_CHAR.search(t))
        if after_caption or pictured:   # unless a paragraph nearby plainly goes on with it
            if _goes_on_nearby(blocks, n, ctx.han_stats(blocks)):
                after_caption = pictured = False
        if ((CAPTION.match(t) and len(t) < 100 and "\n" not in t) or (before_table and _is_title_line(t))
                or kana or after_caption or pictured):
            b.role = "caption"
            if kana:
                b.lang = "ja"   # a Japanese caption quoted with its figure
            ctx.log.change("captions", b.span, t, "caption: " + t)
    for n, b in enumerate(blocks):
        if not isinstance(b, Heading) or "keep" in b.editor:
            continue
        # "营收变化（单位：亿元）": a chart's or table's title, set as a heading;
        # "### 全球铜价走势" right above a table: the table's title (no section opens on a table)
        table_title = (b.level >= 3 and len(b.text) < 40 and n + 1 < len(blocks) and isinstance(blocks[n + 1], Table)
                       and not (NUMBERED_LINE.match(b.text) or ENUMERATOR.match(b.text)))   # "2 平台资质" numbers a section
        if UNIT_NOTE.search(b.text) or table_title:
            blocks[n] = Paragraph(b.span, runs=b.runs, role="caption")
            ctx.log.change("captions", b.span, b.text, "caption: " + b.text)
    return blocks


def language_tags(blocks, ctx):
    """Text in another script than the issue's is tagged with its language,
    captions and image text too: Traditional Chinese so that the fonts draw
    its glyphs, English so that it is set ragged and hyphenated, not
    justified like Chinese, and read aloud as English."""
    if not ctx.language.startswith("zh"):
        return blocks
    simplified = not ctx.language.endswith(("Hant", "TW", "HK"))
    for b in blocks:
        if not isinstance(b, (Paragraph, ListBlock)) or b.lang is not None:
            continue
        if simplified and isinstance(b, Paragraph) and _traditional(b.text):
            b.lang = "zh-Hant"
        elif _latin_only(b.text) and not KANA.search(b.text):
            b.lang = "en"
        else:
            continue
        ctx.log.change("language_tags", b.span, b.text[:60], f"lang={b.lang}: " + b.text[:60])
    return blocks


def _traditional(t: str) -> bool:
    """Written in Traditional script: three Traditional-only characters at
    least, one in seven of its Han characters (a Simplified sentence may
    quote a name in Traditional)."""
    if TRAD_ONLY.isdisjoint(t):
        return False
    k = sum(map(TRAD_ONLY.__contains__, t))
    return k >= 3 and 7 * k >= len(HAN_CHAR.findall(t))


ABBREVIATION = re.compile(r"\b(?:vs|Fig|No|Inc|Ltd|Co|Corp|etc|e\.g|i\.e|Dr|Mr|Ms|St|Jan|Feb|Mar|Apr|Jun|"
                          r"Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.", re.I)


def _english_sentences(t: str) -> bool:
    """Two English sentences or more ("vs." and "Fig." end none)."""
    return re.search(r"[.!?]\s+[A-Z]", ABBREVIATION.sub("", t)) is not None


def _english_prose_follows(blocks, n) -> bool:
    nxt = next((b for b in blocks[n + 1:] if not isinstance(b, Heading)), None)
    return (isinstance(nxt, Paragraph) and _latin_only(nxt.text)
            and (len(nxt.text) >= 160 or _english_sentences(nxt.text)))


def _chart_runs(blocks) -> list[int]:
    """Pages of a report reproduced as images: chart titles (short, no full
    stop), source lines (资料来源：…) and a sentence or two, paragraph after
    paragraph, ending with a source line.  Two sources and three titles at
    least; a sentence counts only between them."""
    kinds = []
    for b in blocks:
        if not (isinstance(b, Paragraph) and b.role in ("body", "caption") and "keep" not in b.editor):
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
    for n, b in _paragraphs(blocks):
        lines = _lines(b)
        t = b.text.strip()
        why = None
        if len(lines) >= 3 and any(SOURCE_LINE.match(x) for x in lines) and sum(
                not any(c in PROSE_MARKS for c in x) for x in lines) * 2 >= len(lines):
            why = "lines of a chart or slide"
        elif zh and _latin_only(t) and len(t) < 160 and not _english_sentences(t):
            why = "English text of a chart or image"
        elif zh and _traditional(t) and not ctx.language.endswith(("Hant", "TW", "HK")) \
                and (len(lines) >= 2 or not any(c in "，。" for c in t)):   # prose copied from a prospectus stays prose
            why = "lines of a document in Traditional script, quoted as an image"   # language_tags tags it
        if why:
            b.role = "figure-text"
            ctx.log.change("image_text", b.span, t, "image text: " + t)
    for n in _chart_runs(blocks):
        b = blocks[n]
        b.role = "figure-text"
        ctx.log.change("image_text", b.span, b.text, "image text (charts and their sources): " + b.text)
    if zh and not ctx.language.endswith(("Hant", "TW", "HK")):
        for n, b in enumerate(blocks):
            # a heading in Traditional script inside a Simplified issue is the
            # text of a logo or a quoted document, not a title of this issue
            if isinstance(b, Heading) and "keep" not in b.editor and any(c in TRAD_ONLY for c in b.text) and len(b.text) < 20:
                blocks[n] = Paragraph(b.span, runs=b.runs, role="figure-text", lang="zh-Hant")
                ctx.log.change("image_text", b.span, b.text, "image text: " + b.text)
            # an English heading in a Chinese issue titles a slide, unless English
            # prose follows it (a quoted press release keeps its heading) or it
            # translates the heading just before it ("# 目录", "## CONTENTS")
            elif isinstance(b, Heading) and "keep" not in b.editor and _latin_only(b.text) \
                    and not _english_prose_follows(blocks, n) \
                    and not (n > 0 and isinstance(blocks[n - 1], Heading) and HAN_CHAR.search(blocks[n - 1].text)):
                blocks[n] = Paragraph(b.span, runs=b.runs, role="figure-text")
                ctx.log.change("image_text", b.span, b.text, "image text (a slide's title): " + b.text)
    return blocks


SPACE_HAN_LATIN = re.compile(f"(?<=[{HAN}]) +(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%]) +(?=[{HAN}])")
# full-width punctuation carries its own space: none beside it ("逻辑 （FPGA） 提供", "更名为 “SoW-P”")
SPACE_AROUND_FULLWIDTH = re.compile(r" +(?=[，。、；：！？（）【】《》「」『』])|(?<=[，。、；：！？（）【】《》「」『』]) +"
                                    f"|(?<=[{HAN}]) +(?=[“‘])|(?<=[”’]) +(?=[{HAN}])")


def han_latin_spacing(blocks, ctx):
    """No literal spaces between Han and Latin/digits: the gap is added at render time."""
    def repl(m):
        return {i: "" for i in range(m.start(), m.end())}
    _apply(blocks, ctx, "han_latin_spacing", SPACE_HAN_LATIN, repl)
    return _apply(blocks, ctx, "han_latin_spacing", SPACE_AROUND_FULLWIDTH, repl)


HALF_PUNCT = re.compile(f"(?<=[{HAN}”）])\\s*([,:;!?])(?!\\d)\\s*|([,:;!?])\\s*(?=[{HAN}“（])")
PAREN_HAN = re.compile(f"\\(([^()]*[{HAN}][^()]*)\\)")


def fullwidth_punctuation(blocks, ctx):
    """Half-width punctuation in Chinese context becomes full-width; numbers,
    times, URLs and English sentences keep theirs (they are not next to Han)."""
    def repl(m):
        g = 1 if m.group(1) else 2
        edits = {i: "" for i in range(m.start(), m.end())}
        edits[m.start(g)] = FULL_WIDTH[m.group(g)]
        return edits
    _apply(blocks, ctx, "fullwidth_punctuation", HALF_PUNCT, repl)

    def paren(m):
        return {m.start(): "（", m.end() - 1: "）"}
    return _apply(blocks, ctx, "fullwidth_punctuation", PAREN_HAN, paren)


def merge_lists(blocks, ctx):
    """List items split by blank lines become one list."""
    out = []
    for b in blocks:
        prev = out[-1] if out else None
        if (isinstance(b, ListBlock) and isinstance(prev, ListBlock)
                and prev.ordered == b.ordered):
            prev.items.extend(b.items)
            prev.span = prev.span.merge(b.span)
            continue
        out.append(b)
    return out


ITEM_NUMBER = re.compile(r"^\s*(\d{1,2})[、.．]\s*")


def numbered_items(blocks, ctx):
    """`- 1、…` items are an ordered list: the number moves into the list."""
    for b in blocks:
        if isinstance(b, ListBlock) and not b.ordered and b.items:
            nums = [ITEM_NUMBER.match(plain(i)) for i in b.items]
            if all(nums) and [int(n.group(1)) for n in nums] == list(
                    range(int(nums[0].group(1)), int(nums[0].group(1)) + len(nums))):
                before = b.text
                b.ordered, b.start = True, int(nums[0].group(1))
                b.items = [edit_runs(i, ITEM_NUMBER, lambda m: {k: "" for k in range(m.start(), m.end())})
                           for i in b.items]
                ctx.log.change("numbered_items", b.span, before, b.text)
    return blocks


def _is_prose(p: Paragraph) -> bool:
    t = p.text
    return p.role == "body" and len(t) >= 15 and any(c in PROSE_MARKS for c in t)


DATE_END = re.compile(r"\d{4}\s*[.\-/年]\s*\d{1,2}\s*[.\-/月]\s*\d{1,2}\s*日?$")   # "…》，2022.4.29"


def _ends_open(p: Paragraph) -> bool:
    t = p.text.rstrip()
    if DATE_END.search(t):
        return False   # a reference or a dateline ends with its date
    return bool(t) and (t[-1] not in TERMINAL
                        or SPLIT_DECIMAL_HEAD.search(t) is not None and HAN_CHAR.search(t) is not None
                        # a quotation closes a word, not the sentence ("…的“新势力”" | "企业，…"); so do
                        # the brackets of a gloss or a title ("（HBM）" | "半导体…", "《…通知》" | "（浙经信…）")
                        or closes_a_word(t) and _is_prose(p))


def _continues_prose(p: Paragraph) -> bool:
    """The second half of a cut sentence: it starts mid-sentence and is prose
    itself, or a short tail that ends the sentence ("公司正以前瞻性布局把握时代机遇。").
    A navigation bar lifted from a screenshot (short words, no marks) is neither."""
    t = p.text.strip()
    return (p.role == "body" and _starts_continuation(p) and len(t) >= 2
            and (any(c in PROSE_MARKS for c in t) or t[-1] in TERMINAL
                 or len(t) >= 15 and _is_short_head(p) and not FIELD.match(t)))   # a middle piece, itself cut again


ITEM_START = re.compile(r"^\d{1,2}[.．、)）]\s*\D")   # "2.《…》": the next item, not a continuation


def _starts_continuation(p: Paragraph) -> bool:
    t = p.text.lstrip()
    return bool(t) and (HAN_CHAR.match(t[0]) is not None or t[0] in NO_PARAGRAPH_START
                        or t[0] in "“《「『【（" or t[0].islower() or t[0].isdigit() and not ITEM_START.match(t)
                        or re.match(r"\.\d", t) is not None
                        # "Hf 和 Sn 等金属元素…": a Chinese sentence may go on with a name
                        or t[0].isupper() and t[0].isascii() and HAN_CHAR.search(t[:20]) is not None
                        and any(c in PROSE_MARKS for c in t))


def _is_weak_tail(p: Paragraph) -> bool:
    """A short line with no clause marks: a tail, or a slogan or label that is not."""
    t = p.text.strip()
    return len(t) < 15 and not any(c in PROSE_MARKS for c in t)


MAX_STEPS = 8       # paragraphs and headings that may stand between two halves
MAX_REACH = 60      # blocks in all, tables, captions and image text included
MAX_BACK_STEPS = 12  # how far back a fragment out of reading order may stand
ACCEPT = 0.6
CONTENTS_ENTRY = re.compile(r"(?:[—–…·]|\.{2,}|(?<!\d)[.\-])\s*\d{1,3}\s*$")   # not a decimal: "增长7.2"
ENUMERATOR = re.compile(r"^\s*[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]")
NUMBERED_LINE = re.compile(f"^\\s*\\d{{1,2}}(?:\\s|[{HAN}、.．)）])")


def _head_text(b) -> str | None:
    """The text a cut sentence would end, if `b` can be the first half."""
    if "split" in b.editor:
        return None
    if isinstance(b, (Paragraph, ListBlock)) and CONTENTS_ENTRY.search(b.text):
        return None   # "标题 — 12": a contents entry ends with its page number
    if isinstance(b, Paragraph) and (SOURCE_LINE.match(b.text) or FIELD.match(b.text) and len(b.text) < 60):
        return None   # "资料来源：…", "邮箱：…": a source or a field ends where it ends
    if isinstance(b, ListBlock) and b.items:
        t = plain(b.items[-1])
        if not HAN_CHAR.search(t):
            return None   # an English bullet (of a slide) in a Chinese text
        return t if "join" in b.editor or ((len(t) >= 40 or "，" in t)
                                           and t.rstrip()[-1:] not in TERMINAL) else None
    if isinstance(b, Paragraph) and b.role == "body":
        if "join" in b.editor:
            return b.text
        if (_is_prose(b) or _is_short_head(b)) and _ends_open(b) and not (
                NUMBERED_LINE.match(b.text) and len(b.text) < 40):
            return b.text
    return None


def _is_short_head(b: Paragraph) -> bool:
    """A piece cut early in its sentence ("根据此前发布的募集") has no clause
    marks yet; it looks like a title, so it joins only what plainly goes on."""
    t = b.text.strip()
    return len(t) >= 6 and "\n" not in t and not SOURCE_LINE.match(t) and (
        HAN_CHAR.match(t[-1]) is not None or t[-1].isalnum() or t[-1] in "，、" or t[-1] in BRACKETS
        or re.search(r"[A-Za-z]-$", t) is not None)   # "Fab-" | "Lite"


def _stands_aside(b) -> bool:
    """Tables, captions and image text may stand between two halves freely."""
    return isinstance(b, Table) or (isinstance(b, Paragraph) and b.role != "body")


def _candidates(out, i, head, stats):
    """(score, steps, j) for every block that may continue the text of out[i]."""
    named = [int(e.split(":")[1]) for e in out[i].editor if e.startswith("join-to:")]
    if named:   # the editor said where it goes on
        return [(9.0, 0, j, True) for j, b in enumerate(out) if b.span.start == named[0] and isinstance(b, Paragraph)]
    found, steps, crossed_heading, crossed_sub = [], 0, False, False
    for j in range(i + 1, min(len(out), i + 1 + MAX_REACH)):
        b = out[j]
        if _stands_aside(b) or b.span.start < out[i].span.end:
            continue   # what stood between the halves already joined stays aside
        steps += 1
        if steps > MAX_STEPS:
            break
        if isinstance(b, Heading) and b.level <= 2:
            crossed_heading = True
        crossed_sub = crossed_sub or isinstance(b, Heading)
        if not (isinstance(b, Paragraph) and b.role == "body"):
            continue
        # evidence from the tail alone (it never opens a clause) speaks for the nearest head
        score, structural = junction_evidence(head, b.text, stats, tail_alone=not found)
        if not (structural or _continues_prose(b)):
            continue
        if crossed_heading and not structural:
            continue  # an article may start at that heading
        if not found and not crossed_heading:
            # the nearest continuation is the likeliest, all the more with nothing between
            score += 1.5 if steps == 1 else 1   # tables and captions between are no distance
        if _is_weak_tail(b):
            score -= 0.5
        if crossed_sub and not structural:
            score -= 0.5   # a sub-heading between: likelier a new section than a cut
        found.append((score - 0.1 * steps, steps, j, structural))
    steps = 0
    for j in range(i - 1, max(-1, i - 1 - MAX_REACH), -1):
        b = out[j]
        if isinstance(b, Heading) and b.level <= 2:
            break
        if _stands_aside(b):
            continue
        steps += 1
        if steps > MAX_BACK_STEPS:
            break
        if isinstance(b, Paragraph) and _is_orphan(out, j):
            score, _ = junction_evidence(head, b.text, stats)
            # a fragment that begins no sentence needs a head: the nearest
            # open text behind it is the likeliest, better if a word rejoins
            found.append((1.0 + score - 0.02 * steps, steps, j, False))
    return found


def _is_orphan(out, j) -> bool:
    """A short fragment that ends a sentence but begins none, and nothing
    before it was left open: it stands out of reading order (two columns)."""
    b = out[j]
    t = b.text.strip()
    if ENUMERATOR.match(t):
        return False   # "（一）推动概念验证体系建设。" begins a part
    # it ends a statement: a line ending in ！ is a slogan ("内部资料严禁外传！"), not a tail
    if not (_continues_prose(b) and len(t) < 40 and t[-1] in "。.」”』）)"
            and not any(c in PROSE_MARKS for c in t[:-1])):
        return False
    prev = next((p for p in reversed(out[:j]) if not _stands_aside(p)), None)
    return prev is None or _head_text(prev) is None


def _append(a, runs):
    if isinstance(a, ListBlock):
        a.items[-1] = a.items[-1] + runs
    else:
        a.runs = a.runs + runs


def join_page_breaks(blocks, ctx):
    """Join until nothing more joins, so that the rule is idempotent."""
    stats = ctx.han_stats(blocks)
    while True:
        n = len(blocks)
        blocks = _join_once(blocks, ctx, stats)
        if len(blocks) == n:
            break
    for b in blocks:
        if _head_text(b) is not None and "join" not in b.editor:
            ctx.log.warn("join_page_breaks", b.span, "text ends without punctuation and was left unjoined: …"
                         + (plain(b.items[-1]) if isinstance(b, ListBlock) else b.text)[-20:])
    return blocks


def _join_once(blocks, ctx, stats):
    """A paragraph (or last list item) cut at a page or column break is joined
    with its continuation, without a space between Han characters.

    Every open text proposes the paragraphs that may continue it; proposals
    are ranked by the evidence at the junction (a bracket closed, a word the
    issue uses rejoined), the nearest first, and taken best first, each head
    and each tail once.  A continuation that stands before its head
    (two-column pages) is moved to it.  What stood between stays after."""
    out = list(blocks)
    proposals = []
    for i, a in enumerate(out):
        head = _head_text(a)
        if head is None:
            continue
        found = _candidates(out, i, head, stats)
        if isinstance(a, Paragraph) and not _is_prose(a) and "join" not in a.editor \
                and not any(c in "，、；" for c in a.text):   # "据统计，2024年中国": a clause begun is no title
            # a short head looks like a title: it joins only the nearest prose, and
            # only on evidence (a word rejoined, a particle) or if it ends on a function word
            found = [(score - 0.3, steps, j, structural) for score, steps, j, structural in found[:1]
                     if j > i and _is_prose(out[j])
                     and (structural or score >= 3 or head.rstrip()[-1] in NO_TITLE_END)]
        # "…称之为": no sentence ends on a function word, so a farther tail will do
        accept = ACCEPT - (1 if head.rstrip()[-1:] in NO_TITLE_END else 0)
        for score, steps, j, _ in found:
            if score >= accept or "join" in a.editor:
                proposals.append((-score, steps, i, j))
    proposals.sort()
    ends = {n: b.span.end for n, b in enumerate(out)}   # where each text ends in the raw
    link, taken = {}, set()
    for _, _, i, j in proposals:
        if i in link or j in taken or link.get(j) == i:
            continue
        link[i] = j
        taken.add(j)
    for i in sorted(set(link) - taken):          # each chain from its first head
        a, k = out[i], i
        while k in link:
            b = out[link[k]]
            last = (plain(a.items[-1]) if isinstance(a, ListBlock) else a.text)
            sep = "" if (HAN_CHAR.match(last[-1]) or HAN_CHAR.match(b.text[0])
                         or not last[-1].isalnum() or not b.text[0].isalnum()) else " "
            tail = b.runs
            if unclosed(last) == "）":   # （平|台) joined: the closer takes the opener's width
                cut = b.text.find(")")
                if 0 <= cut < b.text.find("）") % 10**6:
                    tail = edit_runs(b.runs, re.compile(r"\)"), lambda m: {m.start(): "）"} if m.start() == cut else {})
            _append(a, ([Run(sep)] if sep else []) + tail)
            rule = "join_page_breaks" if link[k] > k else "reorder_fragments"
            ctx.log.change(rule, b.span, last + " ⏎ " + b.text, last + sep + b.text, link=(ends[k], b.span.start))
            a.span = a.span.merge(b.span)
            k = link[k]
    for k in link:   # an editor's join is done once
        out[k].editor.discard("join")
    return [b for n, b in enumerate(out) if n not in taken]


def stranded_text(blocks, ctx):
    """What stood between the two halves of a cut sentence was on the page
    at the break, not in the sentence's flow: a short title-like line there
    is a caption, a heading there is the text of a slide or image (no
    article's section starts mid-sentence).  Prose there is left alone: on
    a two-column page it may be the other column's text."""
    cuts = [c.link for c in ctx.log.changes if c.rule == "join_page_breaks" and c.link and c.link[0] < c.link[1]]
    if not cuts:
        return blocks
    stranded = [any(h < b.span.start and b.span.end < t for h, t in cuts) and "keep" not in b.editor for b in blocks]
    recast = {b.span for b, s in zip(blocks, stranded) if s}
    # they are no cut texts left unjoined after all
    ctx.log.warnings[:] = [w for w in ctx.log.warnings if not (w.rule == "join_page_breaks" and w.span in recast)]
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
    return _is_title_line(t[:-1] if t[-1:] in "！!" else t)


PARALLEL_PREFIX = 4   # characters a title shares with its siblings ("2024年，是…之年")


def parallel_titles(blocks, ctx):
    """A line that opens like two sibling headings before it, as long as
    they, is their sibling the extractor left unmarked ("2024年，是中国…之年",
    "2024年，是全球…之年", then "2024年，是浙江…之年")."""
    squash = lambda t: re.sub(r"\s", "", t)
    for n, b in _paragraphs(blocks):
        t = squash(b.text)
        if not (6 <= len(t) < 40 and "\n" not in b.text.strip() and t[-1] not in TERMINAL):
            continue
        siblings = []
        for h in reversed(blocks[max(0, n - MAX_REACH * 2):n]):
            if isinstance(h, Heading) and h.level == 1:
                break
            if isinstance(h, Heading) and len(os.path.commonprefix([squash(h.text), t])) >= PARALLEL_PREFIX \
                    and 0.6 <= len(t) / max(len(squash(h.text)), 1) <= 1.5:
                siblings.append(h)
        if len(siblings) >= 2 and len({h.level for h in siblings}) == 1:
            blocks[n] = Heading(b.span, level=siblings[0].level, runs=b.runs)
            ctx.log.change("parallel_titles", b.span, b.text, "sub-heading, like its siblings: " + b.text)
    return blocks


def numbered_titles(blocks, ctx):
    """A lone item numbered like a section ("04. 小米、宁德时代均持股": zero-
    padded, title-like, no list around it) is a sub-heading the extractor
    did not mark; structure sets it level with its siblings 01, 02, 03."""
    out = []
    for b in blocks:
        if (isinstance(b, ListBlock) and b.ordered and len(b.items) == 1 and b.marker.startswith("0")
                and "keep" not in b.editor and _is_title_line(plain(b.items[0]).strip())):
            h = Heading(b.span, level=3, runs=[Run(f"{b.marker}. ")] + b.items[0])
            ctx.log.change("numbered_titles", b.span, b.text, "sub-heading: " + h.text)
            out.append(h)
            continue
        out.append(b)
    return out


RULES = [
    ("drop_disclaimer", drop_disclaimer),
    ("image_descriptions", image_descriptions),
    ("redaction_marks", redaction_marks),
    ("screenshot_text", screenshot_text),
    ("running_heads", running_heads),
    ("captions", captions),
    ("image_text", image_text),
    ("fullwidth_punctuation", fullwidth_punctuation),
    ("han_latin_spacing", han_latin_spacing),   # after: brackets made full width need no space either
    ("language_tags", language_tags),       # after house style: a line quoted in Traditional keeps it too
    ("parallel_titles", parallel_titles),
    ("join_page_breaks", join_page_breaks),
    ("stranded_text", stranded_text),
    ("numbered_titles", numbered_titles),
    ("merge_lists", merge_lists),          # after joins: a cut item's tail no longer splits its list
    ("numbered_items", numbered_items),
]


def clean(blocks: list[Block], ctx: Context) -> list[Block]:
    for name, rule in RULES:
        if name in ctx.disabled:
            continue
        blocks = rule(blocks, ctx)
    return blocks
