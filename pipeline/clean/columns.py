"""columns: paragraphs of a two-column page the extractor read in the wrong order.

An extractor that reads a page across its columns, or one column before the other, leaves a run of
whole paragraphs between the two halves of a cut sentence (which the join rule puts together).
Where that run itself is cut from the text it belongs to, the two cuts say where it goes:

- its last paragraph ends in a sentence that goes on *before* the run (在功率器件领域……已达到与 →
  全球行业领导者相当的性能指标。): the run stands just before that continuation;
- its first paragraph was the tail of a sentence whose head comes *after* the run (正是这番言论 …
  姑勿论…显著优势， → 包括功耗降低…): the run stands just after that paragraph.

The run moves as a unit and the report says which cut put it where.  Without such a second cut a run
is left where it stands: the order of whole paragraphs is not evidence of anything.
"""
from __future__ import annotations

from ..model import Editor, Paragraph

MAX_RUN = 8      # paragraphs at most in a run that moves: a column's worth


def column_blocks(blocks, ctx):
    cuts = list(ctx.cuts)
    for head, tail in [(h, t) for h, t in cuts if h < t]:
        at = _holding(blocks, head)
        if at is None:
            continue
        run = []
        for b in blocks[at + 1:]:
            if b.span.end >= tail or b.span.end <= head:
                break
            run.append(b)
        if not run or len(run) > MAX_RUN or not all(_movable(b) for b in run) \
                or not any(b.role == "body" for b in run):
            continue
        target = _before_continuation(blocks, run, head, tail, cuts) or _after_head(blocks, run, head, tail, cuts)
        if target is None:
            continue
        where, why = target
        rest = [b for b in blocks if not any(b is r for r in run)]
        k = next(n for n, b in enumerate(rest) if b is where)
        k = k if why.startswith("before") else k + 1
        blocks = rest[:k] + run + rest[k:]
        first, last = run[0], run[-1]
        ctx.log.change("column_blocks", first.span, first.text[:40] + "…" + last.text[-20:],
                       f"{len(run)} paragraph(s) moved {why}: they stood inside the sentence cut at raw "
                       f"{head}→{tail}")
    return blocks


def _holding(blocks, line):
    """The index of the block whose text holds raw line `line`."""
    for n, b in enumerate(blocks):
        if b.span.start <= line <= b.span.end and isinstance(b, Paragraph):
            return n
    return None


def _movable(b) -> bool:
    """Paragraphs, with the captions and image text that stood in the same column."""
    return isinstance(b, Paragraph) and b.role in ("body", "caption", "figure-text") and Editor.KEEP not in b.editor


def _before_continuation(blocks, run, head, tail, cuts):
    """The run's last paragraph goes on before the run: the block that followed its continuation."""
    last = run[-1]
    for p, q in cuts:
        if head < p < tail and q < head and last.span.start <= p <= last.span.end:
            after = [b for b in blocks if b.span.start > q and not any(b is r for r in run)]
            if after:
                return after[0], f"before the text its last sentence goes on in (raw {q})"
    return None


def _after_head(blocks, run, head, tail, cuts):
    """The run's first paragraph was the tail of a sentence cut after the run: after that paragraph."""
    for p, q in cuts:
        if head < q < tail and p > tail and q < run[0].span.start:
            n = _holding(blocks, p)
            if n is not None and not any(blocks[n] is r for r in run):
                return blocks[n], f"after the sentence its first lines end (raw {p})"
    return None
