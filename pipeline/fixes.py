"""Editor overrides from sources/<issue>/fixes.toml.

    [[fix]]
    lines = "1249-1249"        # raw lines the fix is about
    expect = "GPU CPO, 国内首创"  # text that must be there, else the fix is stale
    action = "drop"            # drop | replace
    text = "…"                 # with replace: the new text
    why = "…"                  # shown in the report

A fix whose expected text is no longer at those lines is not applied and the
build warns, so a re-extracted source never gets a fix meant for other text.
"""
from __future__ import annotations

import re

from .errors import InputError
from .inline import parse_inline
from .model import Heading, ListBlock, Paragraph, Span

ACTIONS = {"drop", "replace"}


def _span(value, path, n) -> Span:
    m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", str(value))
    if not m:
        raise InputError(path, n, f"fix {n}: lines must look like \"120\" or \"120-124\"")
    a = int(m.group(1))
    return Span(a, int(m.group(2) or a))


def apply_fixes(blocks, fixes: dict, path: str, ctx):
    out = list(blocks)
    for n, fix in enumerate(fixes.get("fix", []), 1):
        action = fix.get("action")
        if action not in ACTIONS:
            raise InputError(path, n, f"fix {n}: action must be one of {sorted(ACTIONS)}")
        span = _span(fix.get("lines", ""), path, n)
        expect = fix.get("expect", "")
        hits = [b for b in out if b.span.start <= span.end and span.start <= b.span.end]
        target = next((b for b in hits if expect and expect in b.text), None)
        if target is None:
            ctx.log.warn("fixes", span, f"fix {n} no longer applies: '{expect[:30]}' is not at lines {span}")
            continue
        why = fix.get("why", "editor's fix")
        if action == "drop":
            out.remove(target)
            ctx.log.drop("fixes", target.span, target.text, why)
        elif action == "replace":
            new = fix.get("text", "")
            before = target.text
            if isinstance(target, (Paragraph, Heading)):
                target.runs = parse_inline(target.text.replace(expect, new))
            elif isinstance(target, ListBlock):
                target.items = [parse_inline(re.sub(re.escape(expect), new, "".join(r.text for r in i)))
                                for i in target.items]
            ctx.log.change("fixes", target.span, before, target.text)
    return out
