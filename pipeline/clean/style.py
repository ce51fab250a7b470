"""style: the house style of Chinese text: full-width punctuation, no
literal spaces beside Han or full-width marks, and language tags for text in
another script."""
from __future__ import annotations

import re

from ..model import ListBlock, Paragraph
from ..text import FULL_WIDTH, FULL_WIDTH_MARKS, HAN, KANA, delete, hant_language, latin_only, traditional
from .shapes import apply_pattern


SPACE_HAN_LATIN = re.compile(f"(?<=[{HAN}]) +(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%]) +(?=[{HAN}])")


# full-width punctuation carries its own space: none beside it ("逻辑 （FPGA） 提供", "更名为 “SoW-P”")
SPACE_AROUND_FULLWIDTH = re.compile(f" +(?=[{FULL_WIDTH_MARKS}])|(?<=[{FULL_WIDTH_MARKS}]) +"
                                    f"|(?<=[{HAN}]) +(?=[“‘])|(?<=[”’]) +(?=[{HAN}])")


# an arrow typed as ASCII between words (初芯 -> 燃芯, A -> B), not inside code (a->b) or a comparison
ASCII_ARROW = re.compile(r"(?:(?<=\S) +|(?<=[%s]))(<->|->|=>)(?: +(?=\S)|(?=[%s]))" % (HAN, HAN))
ARROWS = {"->": "→", "=>": "⇒", "<->": "↔"}


def text_arrows(blocks, ctx):
    """An arrow typed `->` between words is set as the arrow sign (→ ⇒ ↔); beside Han, without the
    spaces around it (Chinese sets no space beside a full-width sign)."""
    def repl(m):
        edits = {i: "" for i in range(m.start(), m.end())}
        before, after = m.string[m.start() - 1], m.string[m.end()] if m.end() < len(m.string) else ""
        han = re.match(f"[{HAN}]", before) and re.match(f"[{HAN}]", after or " ")
        around = "" if han else " "
        edits[m.start()] = around + ARROWS[m.group(1)] + around
        return edits
    return apply_pattern(blocks, ctx, "text_arrows", ASCII_ARROW, repl)


def han_latin_spacing(blocks, ctx):
    """No literal spaces between Han and Latin/digits: the gap is added at render time."""
    apply_pattern(blocks, ctx, "han_latin_spacing", SPACE_HAN_LATIN, delete)
    return apply_pattern(blocks, ctx, "han_latin_spacing", SPACE_AROUND_FULLWIDTH, delete)


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
    apply_pattern(blocks, ctx, "fullwidth_punctuation", HALF_PUNCT, repl)

    def paren(m):
        return {m.start(): "（", m.end() - 1: "）"}
    return apply_pattern(blocks, ctx, "fullwidth_punctuation", PAREN_HAN, paren)


def language_tags(blocks, ctx):
    """Text in another script than the issue's is tagged with its language,
    captions and image text too: Traditional Chinese so that the fonts draw
    its glyphs, English so that it is set ragged and hyphenated, not
    justified like Chinese, and read aloud as English."""
    if not ctx.language.startswith("zh"):
        return blocks
    simplified = not hant_language(ctx.language)
    for b in blocks:
        if not isinstance(b, (Paragraph, ListBlock)) or b.lang is not None:
            continue
        if simplified and isinstance(b, Paragraph) and traditional(b.text):
            b.lang = "zh-Hant"
        elif latin_only(b.text) and not KANA.search(b.text):
            b.lang = "en"
        else:
            continue
        ctx.log.change("language_tags", b.span, b.text[:60], f"lang={b.lang}: " + b.text[:60])
    return blocks
