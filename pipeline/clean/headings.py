"""headings: sub-headings the extractor left unmarked."""
from __future__ import annotations

import os
import re

from ..model import Editor, Heading, ListBlock, Run, plain
from ..text import TERMINAL, squash
from .join import MAX_REACH
from .shapes import body_paragraphs, is_title_line


# a heading's number glued to the acronym that opens its title ("03AI 驱动"); a leading zero
# makes it a number of the sequence, not part of a name (5G, 3D)
GLUED_NUMBER = re.compile(r"^(0\d)(?=[A-Z]{2})")
PARALLEL_PREFIX = 4   # characters a title shares with its siblings ("2024年，是…之年")


def parallel_titles(blocks, ctx):
    """A line that opens like two sibling headings before it, as long as
    they, is their sibling the extractor left unmarked ("2024年，是中国…之年",
    "2024年，是全球…之年", then "2024年，是浙江…之年")."""
    for n, b in body_paragraphs(blocks):
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
                and Editor.KEEP not in b.editor and is_title_line(plain(b.items[0]).strip())):
            h = Heading(b.span, level=3, runs=[Run(f"{b.marker}. ")] + b.items[0])
            ctx.log.change("numbered_titles", b.span, b.text, "sub-heading: " + h.text)
            out.append(h)
            continue
        out.append(b)
    return out


def glued_numbers(blocks, ctx):
    """A heading numbered 01, 02, … whose number is glued to the acronym after it (03AI 驱动) has
    the space its siblings have (03 AI 驱动)."""
    for b in blocks:
        if isinstance(b, Heading) and b.runs and GLUED_NUMBER.match(b.runs[0].text):
            before = b.text
            first = b.runs[0]
            b.runs[0] = Run(GLUED_NUMBER.sub(r"\1 ", first.text, count=1), first.marks, first.lang)
            ctx.log.change("glued_numbers", b.span, before, b.text)
    return blocks
