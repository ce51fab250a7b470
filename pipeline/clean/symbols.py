"""symbols: characters of a symbol font that the extractor left in its private-use code.

A PDF made from a word processor often sets maths signs and bullets in the
Symbol or Wingdings font, whose codes an extractor passes on as U+F020–U+F0FF
(the Microsoft "symbol" cmap: U+F000 plus the font's byte).  No font of the
editions draws them (glyphs.py warns), and the reader would see empty boxes for
`1 20 4<m−k≤` or the bullets of a list.  A typesetter puts in the character
the font drew: the byte read through the Adobe Symbol encoding, except in the
place of a bullet (first in a line, before a space), where
word processors use Wingdings for the bullets that Symbol does not have.
Each replacement is a change in the report; codes the encoding leaves
undefined stay (and glyphs.py names them).
"""
from __future__ import annotations

import re

from ..text import edit_runs
from ..model import Table, plain
from .shapes import text_blocks

# Adobe Symbol encoding, bytes 0x20–0x7E and 0xA0–0xFF ("\0": undefined, or a
# piece of a built-up bracket or radical that means nothing alone)
LOW = (" !∀#∃%&∋()∗+,−./0123456789:;<=>?≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_\0"
       "αβχδεφγηιϕκλμνοπθρστυϖωξψζ{|}∼")
HIGH = ("€ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…\0\0↵ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓"
        "◊⟨®©™∑\0\0\0\0\0\0\0\0\0\0\0⟩∫\0\0\0\0\0\0\0\0\0\0\0\0\0")
SYMBOL = {0xF020 + k: ch for k, ch in enumerate(LOW) if ch != "\0"} | \
         {0xF0A0 + k: ch for k, ch in enumerate(HIGH) if ch != "\0"}
# Wingdings bullets, which a word processor sets where Symbol has a letter or a suit
BULLETS = {0xF06C: "●", 0xF06E: "■", 0xF071: "❑", 0xF075: "◆", 0xF076: "❖", 0xF0A7: "▪",
           0xF0B7: "•", 0xF0D8: "➢", 0xF0E8: "➔", 0xF0FC: "✓"}
assert len(LOW) == 95 and len(HIGH) == 96

CODES = re.compile("[\uf020-\uf0ff]")
# the place of a bullet: a line's start, kept as one (\n) or joined after a sentence end
BULLET_BEFORE = re.compile(r"(?:^|\n|[.。;；:：!?！？]\s+)\Z")


def symbol_font(blocks, ctx):
    """Symbol-font codes (U+F020–U+F0FF) become the characters the font drew."""
    def repl(m):
        p = ord(m.group())
        bullet = BULLET_BEFORE.search(m.string, max(0, m.start() - 16), m.start()) is not None and \
            m.end() < len(m.string) and m.string[m.end()].isspace()
        ch = BULLETS.get(p) if bullet else None
        ch = ch or SYMBOL.get(p)
        return {m.start(): ch} if ch else {}

    for b, get, put in _run_lists(blocks):
        before = get()
        if not CODES.search(plain(before)):
            continue
        after = edit_runs(before, CODES, repl)
        if plain(after) != plain(before):
            ctx.log.change("symbol_font", b.span, plain(before), plain(after))
            put(after)
    return blocks


def _run_lists(blocks):
    """text_blocks, and the caption, cells and notes of tables."""
    yield from text_blocks(blocks)
    for b in blocks:
        if isinstance(b, Table):
            yield b, (lambda b=b: b.caption), (lambda v, b=b: setattr(b, "caption", v))
            for c in (c for r in b.rows for c in r.cells):
                yield b, (lambda c=c: c.runs), (lambda v, c=c: setattr(c, "runs", v))
            for k in range(len(b.notes)):
                yield b, (lambda b=b, k=k: b.notes[k]), (lambda v, b=b, k=k: b.notes.__setitem__(k, v))
