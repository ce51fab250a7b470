"""clean: an ordered chain of small named rules over blocks.

Each rule is `rule(blocks, ctx) -> blocks` and records every change and drop in
`ctx.log`.  Rules can be switched off by name (see `RULES` and the `[clean]`
table of `sources/<issue>/fixes.toml`), like markdown-it-py's ruler.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Block, Heading, ListBlock, Log, Paragraph, Run, Table, plain

HAN = r"\u3400-\u9fff\uf900-\ufaff"
HAN_CHAR = re.compile(f"[{HAN}]")
# what a sentence, a clause list or a caption may end with
TERMINAL = set("。！？；：…」』”’）》】)!?;:.…—")
PROSE_MARKS = set("，。、；")
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
DISCLAIMER_HEAD = re.compile(r"^\s*\*?\s*免责声明\s*[:：]?\s*$")


@dataclass
class Context:
    log: Log
    magazine: dict = field(default_factory=dict)
    disabled: set = field(default_factory=set)


# ---------------------------------------------------------------- run editing

def edit_runs(runs: list[Run], pattern: re.Pattern, repl) -> list[Run]:
    """Apply a character-level substitution across run boundaries.

    `repl(match)` returns a dict {absolute index: replacement text}; each
    replaced character keeps the marks of its run, so markup survives.
    """
    text = plain(runs)
    edits: dict[int, str] = {}
    for m in pattern.finditer(text):
        edits.update(repl(m))
    if not edits:
        return runs
    out, pos = [], 0
    for r in runs:
        chars = [edits.get(pos + k, ch) for k, ch in enumerate(r.text)]
        pos += len(r.text)
        new = "".join(chars)
        if new:
            out.append(Run(new, r.marks, r.lang))
    return out


def _text_blocks(blocks):
    """(block, getter, setter) for every run list a rule may edit."""
    for b in blocks:
        if isinstance(b, (Paragraph, Heading)):
            yield b, (lambda b=b: b.runs), (lambda v, b=b: setattr(b, "runs", v))
        elif isinstance(b, ListBlock):
            for k in range(len(b.items)):
                yield b, (lambda b=b, k=k: b.items[k]), (lambda v, b=b, k=k: b.items.__setitem__(k, v))


def _apply(blocks, ctx, rule, pattern, repl):
    for b, get, put in _text_blocks(blocks):
        if getattr(b, "lang", None) in ("zh-Hant", "ja"):
            continue
        before = get()
        after = edit_runs(before, pattern, repl)
        if after is not before and plain(after) != plain(before):
            ctx.log.change(rule, b.span, plain(before), plain(after))
            put(after)
    return blocks


# ---------------------------------------------------------------- the rules

def drop_disclaimer(blocks, ctx):
    """The disclaimer is printed from magazine.toml; its copies in the text go."""
    out, skip_next = [], False
    canonical = re.sub(r"\s", "", ctx.magazine.get("disclaimer", ""))
    for b in blocks:
        if isinstance(b, Paragraph) and DISCLAIMER_HEAD.match(b.text):
            ctx.log.drop("drop_disclaimer", b.span, b.text, "disclaimer heading; canonical text from magazine.toml")
            skip_next = True
            continue
        if skip_next and isinstance(b, Paragraph):
            skip_next = False
            body = re.sub(r"\s", "", b.text)
            if canonical and _similar(body, canonical):
                ctx.log.drop("drop_disclaimer", b.span, b.text, "disclaimer copy; canonical text from magazine.toml")
                continue
        skip_next = False
        out.append(b)
    return out


def _similar(a: str, b: str) -> bool:
    import difflib
    norm = lambda s: re.sub(r"[\W_]", "", s)
    return difflib.SequenceMatcher(None, norm(a), norm(b)).ratio() > 0.9


SPACE_HAN_LATIN = re.compile(f"(?<=[{HAN}]) +(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%]) +(?=[{HAN}])")
SPACE_AROUND_FULLWIDTH = re.compile(r" +(?=[，。、；：！？）】》」』])|(?<=[，。、；：！？（【《「『]) +")


def han_latin_spacing(blocks, ctx):
    """No literal spaces between Han and Latin/digits: the gap is added at render time."""
    def repl(m):
        return {i: "" for i in range(m.start(), m.end())}
    _apply(blocks, ctx, "han_latin_spacing", SPACE_HAN_LATIN, repl)
    return _apply(blocks, ctx, "han_latin_spacing", SPACE_AROUND_FULLWIDTH, repl)


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
    _apply(blocks, ctx, "fullwidth_punctuation", HALF_PUNCT, repl)

    def paren(m):
        return {m.start(): "（", m.end() - 1: "）"}
    return _apply(blocks, ctx, "fullwidth_punctuation", PAREN_HAN, paren)


def merge_lists(blocks, ctx):
    """List items split by blank lines become one list."""
    out = []
    for b in blocks:
        prev = out[-1] if out else None
        if (isinstance(b, ListBlock) and isinstance(prev, ListBlock)
                and prev.ordered == b.ordered):
            prev.items.extend(b.items)
            prev.span = prev.span.merge(b.span)
            continue
        out.append(b)
    return out


ITEM_NUMBER = re.compile(r"^\s*(\d{1,2})[、.．]\s*")


def numbered_items(blocks, ctx):
    """`- 1、…` items are an ordered list: the number moves into the list."""
    for b in blocks:
        if isinstance(b, ListBlock) and not b.ordered and b.items:
            nums = [ITEM_NUMBER.match(plain(i)) for i in b.items]
            if all(nums) and [int(n.group(1)) for n in nums] == list(
                    range(int(nums[0].group(1)), int(nums[0].group(1)) + len(nums))):
                before = b.text
                b.ordered, b.start = True, int(nums[0].group(1))
                b.items = [edit_runs(i, ITEM_NUMBER, lambda m: {k: "" for k in range(m.start(), m.end())})
                           for i in b.items]
                ctx.log.change("numbered_items", b.span, before, b.text)
    return blocks


def _is_prose(p: Paragraph) -> bool:
    t = p.text
    return p.role == "body" and len(t) >= 15 and any(c in PROSE_MARKS for c in t)


def _ends_open(p: Paragraph) -> bool:
    t = p.text.rstrip()
    return bool(t) and t[-1] not in TERMINAL


def _continues_prose(p: Paragraph) -> bool:
    """The second half of a cut sentence: it starts mid-sentence and is prose
    itself, or a short tail that ends the sentence ("公司正以前瞻性布局把握时代机遇。").
    A navigation bar lifted from a screenshot ("首页 通知公告 …") is neither."""
    t = p.text.strip()
    return (_starts_continuation(p) and len(t) >= 2
            and (any(c in PROSE_MARKS for c in t) or t[-1] in TERMINAL))


def _starts_continuation(p: Paragraph) -> bool:
    t = p.text.lstrip()
    return bool(t) and (HAN_CHAR.match(t[0]) is not None or t[0] in "，。、；：）”」』" or t[0].islower())


MAX_GAP_BLOCKS = 3  # figures, tables, stray headings that may stand between two halves


def join_page_breaks(blocks, ctx):
    """A prose paragraph cut at a page or column break is joined with its
    continuation, the next body paragraph within a few blocks, without a
    space between Han characters.  What stood between stays after it."""
    out = list(blocks)
    i = 0
    while i < len(out):
        a = out[i]
        if isinstance(a, Paragraph) and _is_prose(a) and _ends_open(a):
            for j in range(i + 1, min(i + 1 + MAX_GAP_BLOCKS + 1, len(out))):
                b = out[j]
                if isinstance(b, Paragraph) and b.role == "body":
                    if _continues_prose(b):
                        sep = "" if (HAN_CHAR.match(a.text[-1]) or HAN_CHAR.match(b.text[0])
                                     or not a.text[-1].isalnum()) else " "
                        before = a.text
                        a.runs = a.runs + ([Run(sep)] if sep else []) + b.runs
                        ctx.log.change("join_page_breaks", a.span.merge(b.span),
                                       before + " ⏎ " + b.text, a.text)
                        a.span = a.span.merge(b.span)
                        del out[j]
                        i -= 1  # the joined paragraph may still end open
                    break
                if isinstance(b, Heading) and b.level <= 2:
                    break      # an article may start here
        i += 1
    for b in out:
        if isinstance(b, Paragraph) and _is_prose(b) and _ends_open(b):
            ctx.log.warn("join_page_breaks", b.span, "paragraph ends without punctuation and was left unjoined: …"
                         + b.text[-20:])
    return out


RULES = [
    ("drop_disclaimer", drop_disclaimer),
    ("han_latin_spacing", han_latin_spacing),
    ("fullwidth_punctuation", fullwidth_punctuation),
    ("merge_lists", merge_lists),
    ("numbered_items", numbered_items),
    ("join_page_breaks", join_page_breaks),
]


def clean(blocks: list[Block], ctx: Context) -> list[Block]:
    for name, rule in RULES:
        if name in ctx.disabled:
            continue
        blocks = rule(blocks, ctx)
    return blocks
