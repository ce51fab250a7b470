"""headings: sub-headings the extractor left unmarked."""
from __future__ import annotations

import os

from ..model import Editor, Heading, ListBlock, Run, plain
from ..text import TERMINAL, squash
from .join import MAX_REACH
from .shapes import body_paragraphs, is_title_line


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
