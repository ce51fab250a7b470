"""paragraphs: a paragraph far longer than any real one is set as several.

An extractor that loses the paragraph breaks of a page (or of a whole
article) gives one block of tens of thousands of characters.  WeasyPrint lays
out a paragraph line by line, and each line re-encodes what is left of the
paragraph's text (`weasyprint/layout/inline.py`, `split_text_box`,
`split_inline_level`, `skip_first_whitespace`), so the cost of one block grows
with its length squared; no reader reads such a block either.  A typesetter
breaks it: at the sentence end closest below the limit, else at a clause end,
else at a comma, else between two Han characters or after a space -- never
inside a Latin word, a number or a combining sequence.  The text is unchanged
but for the paragraph breaks: joined, the parts give the paragraph back.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from ..model import Editor, Paragraph, Run
from ..text import HAN

# Characters in a paragraph above which it is broken.  The longest paragraphs
# of real text seen: 605 (2025-08), 1,702 (a MinerU maths paper, with its
# formulas), 1,608 (a World Bank report): the limit is several times that.
# Each part is at most MAX_PARAGRAPH and at least half of it (but the last).
MAX_PARAGRAPH = 6000

CLOSERS = "”’」』）》〕】〉］)\\]\"'"
# where a part may end, best first: (what the report calls it, pattern whose end is the break)
BREAKS = (
    ("sentence ends", re.compile(f"(?:[。！？]+|[!?.]+(?=[{CLOSERS}]*\\s))[{CLOSERS}]*\\s*")),
    ("clause ends", re.compile(r"(?:；|;(?=\s))\s*")),
    ("commas", re.compile(r"[，、]\s*")),
    ("character boundaries", re.compile(f"(?<=[{HAN}])(?=[{HAN}])|(?<=\\s)(?=\\S)")),
)


def _joins(ch: str) -> bool:
    """A character that belongs to the one before it: a combining mark, a
    variation selector, a joiner, the low half of a surrogate pair."""
    return (unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in "\u200c\u200d"
            or "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"
            or "\udc00" <= ch <= "\udfff")


def break_points(text: str, limit: int = MAX_PARAGRAPH) -> list[tuple[int, str]]:
    """Where `text` is broken into parts of at most `limit` characters:
    (index of a part's start, what kind of place); [] when it needs no break.
    A stretch with no safe place in it (a 10,000-character URL) stays whole."""
    cuts: list[tuple[int, str]] = []
    start, least = 0, limit // 2
    while len(text) - start > limit:
        lo, hi = start + least, start + limit
        for kind, pattern in BREAKS:
            at = [m.end() for m in pattern.finditer(text, lo, hi)
                  if lo < m.end() <= hi and m.end() < len(text) and not _joins(text[m.end()])]
            if at:
                cuts.append((at[-1], kind))
                start = at[-1]
                break
        else:   # nothing safe in the window: look further on for the first safe place
            nxt = None
            for kind, pattern in BREAKS:
                for m in pattern.finditer(text, hi):
                    if m.end() < len(text) and not _joins(text[m.end()]):
                        if nxt is None or m.end() < nxt[0]:
                            nxt = (m.end(), kind)
                        break
            if nxt is None:
                break
            cuts.append(nxt)
            start = nxt[0]
    return cuts


def split_runs(runs: list[Run], cuts: list[int]) -> list[list[Run]]:
    """The runs cut at the character indexes `cuts` (ascending), each piece
    keeping the marks and language of its run."""
    parts: list[list[Run]] = [[]]
    pos, todo = 0, list(cuts)
    for r in runs:
        k = 0
        while todo and todo[0] <= pos + len(r.text):
            cut = todo.pop(0) - pos
            if cut > k:
                parts[-1].append(Run(r.text[k:cut], r.marks, r.lang))
            parts.append([])
            k = cut
        if k < len(r.text):
            parts[-1].append(Run(r.text[k:], r.marks, r.lang))
        pos += len(r.text)
    return parts


def _context(text: str, at: int, width: int = 12) -> tuple[str, str]:
    left, right = text[max(0, at - width):at], text[at:at + width]
    return f"…{left}{right}…", f"…{left}¶{right}…"


def long_paragraph(blocks, ctx):
    """A paragraph longer than MAX_PARAGRAPH characters becomes several, broken
    at sentence ends (see `break_points`); a warning names its raw lines and
    the number of parts, a change each break."""
    out = []
    for b in blocks:
        text = b.text if isinstance(b, Paragraph) else ""
        cuts = break_points(text) if len(text) > MAX_PARAGRAPH else []
        if not cuts:
            if len(text) > MAX_PARAGRAPH:
                ctx.log.warn("long_paragraph", b.span, f"a paragraph of {len(text):,} characters, longer "
                             f"than {MAX_PARAGRAPH:,}, has no place where it can be broken; set as it is")
            out.append(b)
            continue
        pieces = split_runs(b.runs, [at for at, _ in cuts])
        for k, runs in enumerate(pieces):
            last = k == len(pieces) - 1
            # what the editor said of the block holds for each part; joining
            # the text that goes on is the last part's business
            editor = set(b.editor) if last else set(b.editor) - {Editor.JOIN}
            out.append(replace(b, runs=runs, editor=editor, join_to=b.join_to if last else None))
        for at, _ in cuts:
            ctx.log.change("long_paragraph", b.span, *_context(text, at))
        kinds = {}
        for _, kind in cuts:
            kinds[kind] = kinds.get(kind, 0) + 1
        how = ", ".join(f"{n} at {kind}" for kind, n in kinds.items())
        ctx.log.warn("long_paragraph", b.span, f"a paragraph of {len(text):,} characters (more than "
                     f"{MAX_PARAGRAPH:,}: text without its paragraph breaks?) is set as {len(pieces)} "
                     f"paragraphs, broken {how}; the text is unchanged")
    return out
