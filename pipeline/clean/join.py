"""join: a paragraph (or last list item) cut at a page or column break is
joined with its continuation, wherever the extractor put it; the evidence at
each junction is read by clean/junction.py."""
from __future__ import annotations

import re

from ..model import Editor, Figure, Heading, ListBlock, Paragraph, Run, Table, plain
from ..text import BRACKETS, HAN_CHAR, PROSE_MARKS, TERMINAL, edit_runs, unclosed
from .junction import (NO_PARAGRAPH_START, NO_TITLE_END, SPLIT_DECIMAL_HEAD, closes_a_word, han_stats,
                       junction_evidence, opens_an_item)
from .lexicon import JOIN
from .shapes import CONTENTS_ENTRY, ENUMERATOR, FIELD, NUMBERED_LINE, SOURCE_LINE, is_prose


DATE_END = re.compile(r"\d{4}\s*[.\-/年]\s*\d{1,2}\s*[.\-/月]\s*\d{1,2}\s*日?$")   # "…》，2022.4.29"


def _ends_open(p: Paragraph) -> bool:
    t = p.text.rstrip()
    if DATE_END.search(t):
        return False   # a reference or a dateline ends with its date
    return bool(t) and (t[-1] not in TERMINAL
                        or SPLIT_DECIMAL_HEAD.search(t) is not None and HAN_CHAR.search(t) is not None
                        # a quotation closes a word, not the sentence ("…的“新势力”" | "企业，…"); so do
                        # the brackets of a gloss or a title ("（HBM）" | "半导体…", "《…通知》" | "（浙经信…）")
                        or closes_a_word(t) and is_prose(p))


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


MAX_STEPS = JOIN["max_steps"]            # paragraphs and headings that may stand between two halves


MAX_REACH = JOIN["max_reach"]            # blocks in all, tables, captions and image text included


MAX_BACK_STEPS = JOIN["max_back_steps"]  # how far back a fragment out of reading order may stand


ACCEPT = JOIN["accept"]                  # the least score a junction needs


def _head_text(b) -> str | None:
    """The text a cut sentence would end, if `b` can be the first half."""
    if Editor.SPLIT in b.editor:
        return None
    if isinstance(b, (Paragraph, ListBlock)) and CONTENTS_ENTRY.search(b.text):
        return None   # "标题 — 12": a contents entry ends with its page number
    if isinstance(b, Paragraph) and (SOURCE_LINE.match(b.text) or FIELD.match(b.text) and len(b.text) < 60):
        return None   # "资料来源：…", "邮箱：…": a source or a field ends where it ends
    if isinstance(b, ListBlock) and b.items:
        t = plain(b.items[-1])
        if not HAN_CHAR.search(t):
            return None   # an English bullet (of a slide) in a Chinese text
        return t if Editor.JOIN in b.editor or ((len(t) >= 40 or "，" in t)
                                           and t.rstrip()[-1:] not in TERMINAL) else None
    if isinstance(b, Paragraph) and b.role == "body":
        if Editor.JOIN in b.editor:
            return b.text
        if (is_prose(b) or _is_short_head(b)) and _ends_open(b) and not (
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
    """Tables, pictures, captions and image text may stand between two halves freely."""
    return isinstance(b, (Table, Figure)) or (isinstance(b, Paragraph) and b.role != "body")


def _candidates(out, i, head, stats):
    """(score, steps, j) for every block that may continue the text of out[i]."""
    if out[i].join_to is not None:   # the editor said where it goes on
        return [(9.0, 0, j, True) for j, b in enumerate(out) if b.span.start == out[i].join_to and isinstance(b, Paragraph)]
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
        if opens_an_item(head, b.text) or stats.is_label(b.text):
            # a new item ("（2）…", "【分析】…", "B．…", "[4] …"): the head ended where the
            # item began, and what follows the item belongs to it, not to the head
            crossed_heading = True
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
    if ENUMERATOR.match(t) or opens_an_item("", t):
        return False   # "（一）推动概念验证体系建设。", "【答案】4。" begin a part
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
    stats = han_stats(blocks, ctx)
    while True:
        n = len(blocks)
        blocks = _join_once(blocks, ctx, stats)
        if len(blocks) == n:
            break
    ctx.unjoined = [(b.span, "text ends without punctuation and was left unjoined: …"
                     + (plain(b.items[-1]) if isinstance(b, ListBlock) else b.text)[-20:])
                    for b in blocks if _head_text(b) is not None and Editor.JOIN not in b.editor
                    and not stats.is_label(b.text)]
    return blocks


def warn_unjoined(ctx) -> None:
    """Open texts the joins left as they were, and no later rule explained, are the editor's to look at."""
    for span, message in ctx.unjoined:
        ctx.log.warn("join_page_breaks", span, message)


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
        if head is None or stats.is_label(head) and Editor.JOIN not in a.editor:
            continue   # a label repeated ("观图，理解题意") is not open, whatever it ends with
        found = _candidates(out, i, head, stats)
        if isinstance(a, Paragraph) and not is_prose(a) and Editor.JOIN not in a.editor \
                and not any(c in "，、；" for c in a.text):   # "据统计，2024年中国": a clause begun is no title
            # a short head looks like a title: it joins only the nearest prose, and
            # only on evidence (a word rejoined, a particle) or if it ends on a function word
            found = [(score - 0.3, steps, j, structural) for score, steps, j, structural in found[:1]
                     if j > i and is_prose(out[j])
                     and (structural or score >= 3 or head.rstrip()[-1] in NO_TITLE_END)]
        # "…称之为": no sentence ends on a function word, so a farther tail will do
        accept = ACCEPT - (1 if head.rstrip()[-1:] in NO_TITLE_END else 0)
        for score, steps, j, _ in found:
            if score >= accept or Editor.JOIN in a.editor:
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
            ctx.cuts.append((ends[k], b.span.start))     # (a fragment that went on before its head: reordered)
            a.span = a.span.merge(b.span)
            k = link[k]
    for k in link:   # an editor's join is done once
        out[k].editor.discard(Editor.JOIN)
    return [b for n, b in enumerate(out) if n not in taken]
