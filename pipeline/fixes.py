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
split (never join this block with what follows), figure (place the picture
`file = "images/…"` from the issue folder for a caption or image text whose
picture the extraction lost, or, on an image line, give the picture its
`file`; with `text`, what a reader who cannot see it is told); join may name
the line where the text goes on with `to = 1332`; move sets the blocks of
`lines` just before the block at raw line `to` (reading order the extractor
got wrong, where no rule sees it: clean/columns.py moves what it can).
drop, keep, caption, figure-text and move with a range apply to every block
that starts in it; the expect text must be in the first of them.

A fix whose expected text is no longer at those lines is not applied and the
build warns, so a re-extracted source never gets a fix meant for other text.
"""
from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError, type_name
from .model import Editor, Figure, Heading, ListBlock, Paragraph, Run, Span
from .text import check_text, edit_runs

ACTIONS = {"drop", "replace", "keep", "caption", "figure-text", "join", "split", "figure", "move"}
RANGE_ACTIONS = {"drop", "keep", "caption", "figure-text", "move"}
TEXTS = ("expect", "text", "why", "file")      # the keys of a fix that hold a text
KEYS = ("lines", "expect", "action", "text", "why", "to", "file")
# the stages whose rules fixes.toml can switch off: [<stage>] disable = [...]
STAGES = ("clean", "tables", "pictures", "structure")
LINES = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*")


def _span(value) -> Span:
    m = LINES.fullmatch(str(value))
    a = int(m.group(1))
    return Span(a, int(m.group(2) or a))


class _Where:
    """Raw line numbers in fixes.toml, looked up only when there is an error."""

    def __init__(self, path):
        self.path = path

    def __call__(self, k: int | None = None, key: str | None = None) -> int:
        try:
            lines = open(self.path, encoding="utf-8").read().splitlines()
        except (OSError, UnicodeDecodeError):
            return 1
        heads = [n for n, line in enumerate(lines, 1) if re.match(r"\s*\[\[\s*fix\s*\]\]", line)]
        if k is None or k >= len(heads):        # a top-level key, or fix = [{…}] written inline
            key = key if k is None else "fix"
            return next((n for n, line in enumerate(lines, 1)
                         if re.match(rf"\s*\[*\s*{re.escape(key)}\s*(=|\])", line)), 1)
        end = heads[k + 1] if k + 1 < len(heads) else len(lines) + 1
        return next((n for n in range(heads[k], end)
                     if key and re.match(rf"\s*{re.escape(key)}\s*=", lines[n - 1])), heads[k])


def check_fixes_against(fixes: dict, path, last_line: int) -> None:
    """Exit 2 for a fix whose `to` names a raw line the text does not have (a `lines` range past
    the end is a fix that no longer applies, and warned of when applied)."""
    where = _Where(path)
    for k, fix in enumerate(fixes.get("fix", [])):
        if isinstance(fix.get("to"), int) and not isinstance(fix["to"], bool) and fix["to"] > last_line:
            raise InputError(path, where(k, "to"), f"fix {k + 1}: to = {fix['to']} is past the raw text's "
                             f"last line ({last_line})")


def check_fixes(fixes: dict, path) -> None:
    """Exit 2 (InputError naming the line) for a fixes.toml that is not a list of
    [[fix]] tables as described above, or whose [clean] is not a table of rule names."""
    where = _Where(path)
    for key in fixes:
        if key != "fix" and key not in STAGES:
            raise InputError(path, where(key=key), f"unknown key '{key}': fixes.toml holds "
                             "[[fix]] tables and [clean], [tables], [pictures], [structure] tables")
    entries = fixes.get("fix", [])
    if not isinstance(entries, list) or not all(isinstance(f, dict) for f in entries):
        raise InputError(path, where(key="fix"), "'fix' must be [[fix]] tables (see README), not "
                         + type_name(entries))
    for k, fix in enumerate(entries):
        n = k + 1
        for key, value in fix.items():
            if key not in KEYS:
                raise InputError(path, where(k, key), f"fix {n}: unknown key '{key}'; a fix has "
                                 + ", ".join(KEYS))
            if key in TEXTS:
                if not isinstance(value, str):
                    raise InputError(path, where(k, key), f"fix {n}: '{key}' must be a text in "
                                     f"quotes, not {type_name(value)}")
                check_text(value, path, where(k, key), f"fix {n}: '{key}'", one_line=False)
        action = fix.get("action")
        if action not in ACTIONS:
            raise InputError(path, where(k, "action"),
                             f"fix {n}: action must be one of {', '.join(sorted(ACTIONS))}")
        lines = fix.get("lines", "")
        if isinstance(lines, bool) or not isinstance(lines, (str, int)) or not LINES.fullmatch(str(lines)) \
                or not 1 <= _span(lines).start <= _span(lines).end:
            raise InputError(path, where(k, "lines"),
                             f"fix {n}: lines must look like \"120\" or \"120-124\" (raw lines, from 1)")
        if action == "move" and "to" not in fix:
            raise InputError(path, where(k, "action"), f"fix {n}: a move names the raw line it goes before: to = 781")
        if "file" in fix or action == "figure":
            _check_file(fix, action, path, where(k, "file") if "file" in fix else where(k, "action"), n)
        if "to" in fix:
            to = fix["to"]
            if action not in ("join", "move"):
                raise InputError(path, where(k, "to"), f"fix {n}: 'to' goes only with action = \"join\" or \"move\"")
            if isinstance(to, bool) or not isinstance(to, int) or to < 1:
                raise InputError(path, where(k, "to"), f"fix {n}: 'to' must be a raw line number "
                                 f"such as 1332, not {type_name(to) if not isinstance(to, int) else to}")
    for stage in STAGES:   # the names themselves are checked by context.switched_off
        table = fixes.get(stage, {})
        if not isinstance(table, dict):
            raise InputError(path, where(key=stage), f"'{stage}' must be a table [{stage}], not {type_name(table)}")
        for key in table:
            if key != "disable":
                raise InputError(path, where(key=key), f"[{stage}]: unknown key '{key}'; it holds disable = […]")
            if not isinstance(table[key], list) or not all(isinstance(v, str) for v in table[key]):
                raise InputError(path, where(key="disable"), f"[{stage}] disable must be an array of "
                                 "rule names, e.g. [\"join_page_breaks\"] (see `python -m pipeline rules`)")


def _check_file(fix: dict, action: str, path, line: int, n: int) -> None:
    """A `figure` fix names a picture inside the issue folder that exists and can be drawn."""
    from .pictures import inspect, locate
    if action != "figure":
        raise InputError(path, line, f"fix {n}: 'file' goes only with action = \"figure\"")
    if "file" not in fix:
        if "text" in fix:
            return             # an image line's description only
        raise InputError(path, line, f"fix {n}: a figure fix names its picture, file = \"images/….jpg\", "
                         "or its description, text = \"…\"")
    folder = Path(path).parent
    found, why = locate(fix["file"], folder)
    if found is None:
        raise InputError(path, line, f"fix {n}: the picture {fix['file']!r} is {why}")
    got = inspect(folder / found)
    if isinstance(got, str):
        raise InputError(path, line, f"fix {n}: the picture {fix['file']!r} is {got}")


def _norm(text: str) -> str:
    return re.sub(r"[\s\\*]", "", text)   # raw or clean, with or without markup


def apply_fixes(blocks, fixes: dict, path: str, ctx):
    check_fixes(fixes, path)
    out = list(blocks)
    for n, fix in enumerate(fixes.get("fix", []), 1):
        action = fix["action"]
        span = _span(fix.get("lines", ""))
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
        if action == "move":
            _move(out, targets, int(fix["to"]), n, why, ctx)
            continue
        for t in targets:
            _apply(out, t, action, fix, expect, why, ctx)
    return out


def _move(out, targets, to: int, n: int, why: str, ctx) -> None:
    """The blocks, in their order, just before the first block at or after raw line `to`."""
    group = [b for b in out if any(b is t for t in targets)]
    anchor = next((b for b in out if b.span.start >= to and not any(b is g for g in group)), None)
    if anchor is None:
        ctx.log.warn("fixes", group[0].span, f"fix {n} no longer applies: no text at or after raw line {to} "
                     "to move the blocks before")
        return
    rest = [b for b in out if not any(b is g for g in group)]
    k = next(i for i, b in enumerate(rest) if b is anchor)
    out[:] = rest[:k] + group + rest[k:]
    ctx.log.change("fixes", group[0].span, group[0].text[:40],
                   f"moved {len(group)} block(s) before raw {to} ({anchor.text[:20]}…)  ({why})")


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
    elif action == "figure":
        _place_figure(out, target, fix, why, ctx)
    elif action in ("keep", "join", "split"):
        target.editor.add(Editor(action))
        if action == "keep":
            target.editor.add(Editor.SHOW)
        if action == "join" and fix.get("to"):
            target.join_to = int(fix["to"])
        ctx.log.change("fixes", target.span, target.text, f"{action}: {target.text[:40]}  ({why})")
    elif action == "replace":
        new = fix.get("text", "")
        before = target.text
        if new == expect:     # a fix that changes nothing: most likely the new text was not written in
            ctx.log.warn("fixes", target.span, f"a replace fix whose text is the text it replaces "
                         f"({expect!r}) changes nothing: write the new text in `text`")
            return
        pattern = re.compile(re.escape(expect))

        def repl(m):   # the new text takes the marks of the first replaced character
            return {k: (new if k == m.start() else "") for k in range(m.start(), m.end())}
        if isinstance(target, (Paragraph, Heading)):
            target.runs = edit_runs(target.runs, pattern, repl)
        elif isinstance(target, ListBlock):
            target.items = [edit_runs(i, pattern, repl) for i in target.items]
        ctx.log.change("fixes", target.span, before, target.text)


def _place_figure(out, target, fix, why, ctx):
    """On an image line: its file and description.  On a caption or image
    text: a picture placed just before it, which the text then belongs to."""
    from .pictures import locate
    file = locate(fix["file"], Path(ctx.folder))[0] if "file" in fix and ctx.folder else None
    if isinstance(target, Figure):
        fig = target
        if file:
            fig.src, fig.file = fix["file"], file
    else:
        fig = Figure(target.span, src=fix.get("file", ""), file=file)
        if isinstance(target, Heading):    # a caption the extractor set as a heading
            target = _replace(out, target, Paragraph(target.span, runs=target.runs, role="caption"))
        elif isinstance(target, ListBlock):   # a slide's bullets
            target = _replace(out, target, Paragraph(target.span, role="figure-text", runs=[
                r for k, item in enumerate(target.items) for r in ([Run("\n")] if k else []) + item]))
        out.insert(out.index(target), fig)
        if isinstance(target, Paragraph) and target.role == "body":
            target.role = "caption"
        target.editor.add(Editor.KEEP)
    if "text" in fix:
        fig.alt, fig.alt_from = " ".join(fix["text"].split()), "editor"
    ctx.log.change("fixes", target.span, target.text, f"figure: {fix.get('file', fig.src)}  ({why})")


def _replace(out, old, new):
    out[out.index(old)] = new
    return new
