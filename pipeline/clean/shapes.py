"""What a block of text looks like to the clean-up rules: prose, a title
line, a field, a source line; and the lexicon the rules share.

The rules below decide drop, image text or caption for text that is not the
magazine's prose; `keep` in fixes.toml overrules them all.
"""
from __future__ import annotations

import re

from ..model import Editor, Heading, ListBlock, Paragraph, plain
from ..text import HAN, PROSE_MARKS, SOURCE_LINE, edit_runs  # noqa: F401 (SOURCE_LINE: for the rules)
from .junction import NO_TITLE_END
from .lexicon import LEXICON, alternatives

def text_blocks(blocks):
    """(block, getter, setter) for every run list a rule may edit."""
    for b in blocks:
        if isinstance(b, (Paragraph, Heading)):
            yield b, (lambda b=b: b.runs), (lambda v, b=b: setattr(b, "runs", v))
        elif isinstance(b, ListBlock):
            for k in range(len(b.items)):
                yield b, (lambda b=b, k=k: b.items[k]), (lambda v, b=b, k=k: b.items.__setitem__(k, v))


def apply_pattern(blocks, ctx, rule, pattern, repl):
    """Edit every run list outside Traditional and Japanese text with `edit_runs`, logging each change."""
    for b, get, put in text_blocks(blocks):
        if getattr(b, "lang", None) in ("zh-Hant", "ja"):
            continue
        before = get()
        after = edit_runs(before, pattern, repl)
        if after is not before and plain(after) != plain(before):
            ctx.log.change(rule, b.span, plain(before), plain(after))
            put(after)
    return blocks


def body_paragraphs(blocks):
    """(index, paragraph) of the body text no editor has kept."""
    for n, b in enumerate(blocks):
        if isinstance(b, Paragraph) and b.role == "body" and Editor.KEEP not in b.editor:
            yield n, b


def lines_of(p: Paragraph) -> list[str]:
    return [ln.strip() for ln in p.text.split("\n") if ln.strip()]


def is_title_line(t: str) -> bool:
    return (0 < len(t) < 40 and "\n" not in t and t[-1] not in "。；，、：:？！?!" and t[-1] not in NO_TITLE_END
            and not any(c in "，。；" for c in t))


def is_prose(p: Paragraph) -> bool:
    t = p.text
    return p.role == "body" and len(t) >= 15 and any(c in PROSE_MARKS for c in t)


FIELD = re.compile(f"^[{HAN}]{{2,6}}[:：]")   # "联系人：…", "地址：…": a field, not a sentence


# what a field of a notice or a colophon is called ("地址：…"); other "X：Y"
# lines are titles ("聚碲氧烷：理想的 EUV 光刻胶材料")
FIELD_NAMES = re.compile(
    rf"^\s*(?:{alternatives(LEXICON['field_names'])})\s*[:：]")


CONTENTS_ENTRY = re.compile(r"(?:[—–…·]|\.{2,}|(?<!\d)[.\-])\s*\d{1,3}\s*$")   # not a decimal: "增长7.2"
ENUMERATOR = re.compile(r"^\s*[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]")
NUMBERED_LINE = re.compile(f"^\\s*\\d{{1,2}}(?:\\s|[{HAN}、.．)）])")
