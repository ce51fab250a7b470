"""What every stage is given: the log, the publication, the language, the
rule switches; and the small ruler that runs named rules in order.

The ruler is in the spirit of markdown-it-py's `Ruler`: each rule has a name
that an editor can switch off in `fixes.toml` (`[clean] disable = [...]`,
likewise `[tables]` and `[structure]` for their named decisions); a name
that no stage knows is bad input, so that a typo never disables nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import InputError
from .model import Log, Span

Rule = Callable[[list, "Context"], list]


@dataclass
class Context:
    log: Log
    magazine: dict = field(default_factory=dict)
    language: str = "zh-CN"
    disabled: frozenset = frozenset()     # names of rules and decisions switched off
    only: frozenset | None = None         # when set, no other rule runs (tests, an editor's trial)
    stats: Any = None                     # the character statistics (clean.junction), counted once
    source: list[str] = field(default_factory=list)   # the raw text's lines (a contents page is read by line)
    folder: Any = None                    # the issue folder: pictures are read from it, and only from it
    # what one rule tells the ones after it
    cuts: list[tuple[int, int]] = field(default_factory=list)   # (raw line a cut text ends, line it goes on: after or before)
    unjoined: list[tuple[Span, str]] = field(default_factory=list)  # open texts left unjoined, and why

    def enabled(self, name: str) -> bool:
        if name in self.disabled:
            return False
        return self.only is None or name in self.only


@dataclass(frozen=True)
class Ruler:
    """Named rules of one stage, run in order."""
    stage: str
    rules: tuple[tuple[str, Rule, str], ...]   # (name, rule, what it does in one line)

    @property
    def names(self) -> list[str]:
        return [name for name, _, _ in self.rules]

    def run(self, blocks: list, ctx: Context) -> list:
        for name, rule, _ in self.rules:
            if ctx.enabled(name):
                blocks = rule(blocks, ctx)
        return blocks

    def describe(self) -> list[tuple[str, str]]:
        """(name, what it does) in order."""
        return [(name, summary) for name, _, summary in self.rules]


@dataclass(frozen=True)
class Decisions:
    """Named decisions inside a stage that is not a chain (tables, structure):
    each can be switched off like a rule."""
    stage: str
    docs: dict[str, str]

    @property
    def names(self) -> list[str]:
        return list(self.docs)

    def describe(self) -> list[tuple[str, str]]:
        return list(self.docs.items())


def switched_off(fixes: dict, path: Path, known: dict[str, list[str]]) -> frozenset:
    """The names `fixes.toml` switches off (`[<stage>] disable = [...]`), each
    checked against the names its stage knows: an unknown one is bad input."""
    out: set[str] = set()
    for stage, names in known.items():
        table = fixes.get(stage, {})
        value = table.get("disable", []) if isinstance(table, dict) else None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(path, _line_of(path, stage), f"[{stage}] disable must be a list of rule names")
        for name in value:
            if name not in names:
                raise InputError(path, _line_of(path, f'"{name}"'),
                                 f"[{stage}] disable: no rule named '{name}' (see `python -m pipeline rules`)")
        out |= set(value)
    return frozenset(out)


def _line_of(path: Path, needle: str) -> int:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    pattern = re.compile(rf"^\s*\[\s*{re.escape(needle)}\s*\]") if not needle.startswith('"') else None
    for n, line in enumerate(lines, 1):
        if (pattern.match(line) if pattern else needle in line):
            return n
    return 1
