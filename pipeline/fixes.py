"""Editor overrides from sources/<issue>/fixes.toml.

    [[fix]]
    lines = "1249"             # raw line, or a range "405-421"
    expect = "GPU CPO, 国内首创"  # text that must be there, else the fix is stale
    action = "drop"            # see ACTIONS
    text = "…"                 # with replace: the new text
    why = "…"                  # shown in the report

Actions: drop, keep (no clean-up rule may drop it or set it aside, but it
can still be joined), caption, figure-text (set as image text, not prose),
replace, join (join with the next paragraph whatever the rules think),
split (never join this block with what follows); join may name the line
where the text goes on with `to = 1332`.  drop, keep, caption and
figure-text with a range apply to every block that starts in it; the expect
text must be in the first of them.

A fix whose expected text is no longer at those lines is not applied and the
build warns, so a re-extracted source never gets a fix meant for other text.
"""
from __future__ import annotations

import re

from .errors import InputError
from .model import Editor, Heading, ListBlock, Paragraph, Run, Span
from .text import edit_runs

ACTIONS = {"drop", "replace", "keep", "caption", "figure-text", "join", "split"}
RANGE_ACTIONS = {"drop", "keep", "caption", "figure-text"}


def _span(value, path, n) -> Span:
    m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", str(value))
    if not m:
        raise InputError(path, n, f"fix {n}: lines must look like \"120\" or \"120-124\"")
    a = int(m.group(1))
    return Span(a, int(m.group(2) or a))


def _norm(text: str) -> str:
    return re.sub(r"[\s\\*]", "", text)   # raw or clean, with or without markup


def apply_fixes(blocks, fixes: dict, path: str, ctx):
    out = list(blocks)
    for n, fix in enumerate(fixes.get("fix", []), 1):
        action = fix.get("action")
        if action not in ACTIONS:
            raise InputError(path, n, f"fix {n}: action must be one of {sorted(ACTIONS)}")
        span = _span(fix.get("lines", ""), path, n)
        expect = fix.get("expect", "")
        hits = [b for b in out if b.span.start <= span.end and span.start <= b.span.end]
        target = next((b for b in hits if expect and _norm(expect) in _norm(b.text)), None)
        if target is None:
            ctx.log.warn("fixes", span, f"fix {n} no longer applies: '{expect[:30]}' is not at lines {span}")
            continue
        why = fix.get("why", "editor's fix")
        targets = [target]
        if action in RANGE_ACTIONS and span.end > span.start:
            targets += [b for b in out if b is not target and span.start <= b.span.start <= span.end]
        for t in targets:
            _apply(out, t, action, fix, expect, why, ctx)
    return out


def _apply(out, target, action, fix, expect, why, ctx):
    if action == "drop":
        out.remove(target)
        ctx.log.drop("fixes", target.span, target.text, why)
    elif action in ("caption", "figure-text"):
        new = target
        if isinstance(target, Heading):
            new = Paragraph(target.span, runs=target.runs)
            out[out.index(target)] = new
        elif isinstance(target, ListBlock):   # a slide's bullets: its lines
            runs = [r for k, item in enumerate(target.items) for r in ([Run("\n")] if k else []) + item]
            new = Paragraph(target.span, runs=runs)
            out[out.index(target)] = new
        if isinstance(new, Paragraph):
            new.role = action
            new.editor.add(Editor.KEEP)
            ctx.log.change("fixes", target.span, target.text, f"{action}: {target.text}  ({why})")
    elif action in ("keep", "join", "split"):
        target.editor.add(Editor(action))
        if action == "join" and fix.get("to"):
            target.join_to = int(fix["to"])
        ctx.log.change("fixes", target.span, target.text, f"{action}: {target.text[:40]}  ({why})")
    elif action == "replace":
        new = fix.get("text", "")
        before = target.text
        pattern = re.compile(re.escape(expect))

        def repl(m):   # the new text takes the marks of the first replaced character
            return {k: (new if k == m.start() else "") for k in range(m.start(), m.end())}
        if isinstance(target, (Paragraph, Heading)):
            target.runs = edit_runs(target.runs, pattern, repl)
        elif isinstance(target, ListBlock):
            target.items = [edit_runs(i, pattern, repl) for i in target.items]
        ctx.log.change("fixes", target.span, before, target.text)
