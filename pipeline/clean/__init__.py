"""clean: an ordered chain of small named rules over blocks.

Each rule is `rule(blocks, ctx) -> blocks` and records every change and drop in
`ctx.log`; rules tell each other things only through the blocks and the
explicit fields of `Context` (`cuts`, `unjoined`).  An editor switches rules
off by name (`[clean] disable = [...]` in fixes.toml); `python -m pipeline
rules` lists them in order.

    symbols    Symbol-font codes become the signs they stand for
    formulas   TeX no maths library reads is shown as code
    noise      text that is not the magazine's (disclaimer copies, image
               descriptions, redaction marks, screenshots, running heads)
    figures    captions, image text, what stood inside a cut sentence
    style      house style: full-width punctuation, spacing, language tags
    headings   sub-headings the extractor left unmarked
    join       texts cut at page and column breaks (evidence: junction)
    columns    runs of paragraphs read from the wrong column
    lists      split lists, numbers written into items
    paragraphs a paragraph far longer than any real one is set as several
"""
from __future__ import annotations

from ..context import Context, Ruler
from ..model import Block
from .columns import column_blocks
from .formulas import unreadable_formulas
from .figures import captions, image_text, stranded_text
from .headings import glued_numbers, numbered_titles, parallel_titles
from .join import join_page_breaks, warn_unjoined
from .lists import merge_lists, numbered_items
from .paragraphs import long_paragraph
from .symbols import symbol_font
from .noise import (drop_disclaimer, image_descriptions, redaction_marks, repeated_lines, running_heads,
                    screenshot_text)
from .style import fullwidth_punctuation, han_latin_spacing, language_tags, text_arrows

RULES = Ruler("clean", (
    ("symbol_font", symbol_font,
     "Symbol and Wingdings codes an extractor left (U+F020–U+F0FF) become the signs the font drew"),
    ("unreadable_formulas", unreadable_formulas,
     "a formula no maths library reads is named in the report (it is shown as its TeX)"),
    ("drop_disclaimer", drop_disclaimer,
     "copies of the disclaimer in the text go (it is printed once, from magazine.toml)"),
    ("image_descriptions", image_descriptions,
     "the extractor's descriptions of images (\"A photo of …\") are not the magazine's text"),
    ("redaction_marks", redaction_marks, "lines of nothing but redaction marks ([編纂]) go"),
    ("screenshot_text", screenshot_text, "a web page's navigation bar or breadcrumb from a screenshot goes"),
    ("running_heads", running_heads, "the magazine's or a section's name alone amid an article is a running head"),
    ("repeated_lines", repeated_lines,
     "a line repeated alone on page after page (footer, watermark, page counter) is page furniture"),
    ("captions", captions, "photo and figure captions (▲ …, 图1 …, Fig. 1) are captions"),
    ("image_text", image_text, "text that stood inside a chart, slide or document image is set apart"),
    ("fullwidth_punctuation", fullwidth_punctuation, "half-width punctuation in Chinese becomes full width"),
    ("text_arrows", text_arrows, "an arrow typed -> between words is the sign → (no spaces beside Han)"),
    # after: brackets made full width need no space either
    ("han_latin_spacing", han_latin_spacing, "no literal space between Han and Latin or digits (the gap is set)"),
    # after house style: a line quoted in Traditional keeps it too
    ("language_tags", language_tags, "text in another script than the issue's is tagged with its language"),
    ("parallel_titles", parallel_titles, "a line opening like its two sibling headings is a heading too"),
    ("join_page_breaks", join_page_breaks, "texts cut at page and column breaks are joined, with evidence"),
    # reads the cuts the joins made (ctx.cuts)
    ("stranded_text", stranded_text, "what stood inside a cut sentence is moved after it"),
    # reads the cuts too: a run between a cut sentence's halves that is cut from its own text
    ("column_blocks", column_blocks, "a run of paragraphs read from the wrong column moves to where its own cut "
                                     "sentence says it goes"),
    ("numbered_titles", numbered_titles, "a lone item numbered like a section (04. …) is a heading"),
    ("glued_numbers", glued_numbers, "a heading's number glued to an acronym (03AI) gets its space (03 AI)"),
    # after joins: a cut item's tail no longer splits its list
    ("merge_lists", merge_lists, "list items split by blank lines become one list"),
    ("numbered_items", numbered_items, "`- 1、…` items are an ordered list, the number moves into it"),
    # last: what the joins made may be long too
    ("long_paragraph", long_paragraph,
     "a paragraph of more than 6,000 characters is broken at sentence ends, with a warning"),
))


def clean(blocks: list[Block], ctx: Context) -> list[Block]:
    blocks = RULES.run(blocks, ctx)
    warn_unjoined(ctx)
    return blocks
