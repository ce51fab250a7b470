"""formulas: TeX that no maths library here reads is shown as written, with a warning."""
from __future__ import annotations

from .shapes import text_blocks


def unreadable_formulas(blocks, ctx):
    """The reader (inline.parse_inline) sets a formula latex2mathml cannot
    read as its TeX source in code face (mark "tex"): the reader sees what
    the source said; the report names each one.  (One ziamath cannot draw
    is named when the PDF is laid out.)"""
    for b, get, _ in text_blocks(blocks):
        for r in get():
            if "tex" in r.marks:
                ctx.log.warn("unreadable_formulas", b.span, f"a formula no maths library here reads, set as "
                             f"its TeX in code face: {r.text[:120]}")
    return blocks
