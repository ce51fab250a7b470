"""The one document model: readers build it, writers read it.

Plain dataclasses.  Every block keeps the raw line span (1-based, inclusive)
it came from, so that every change and every drop can be traced back to the
source.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Optional


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.start}" if self.start == self.end else f"{self.start}-{self.end}"

    def merge(self, other: "Span") -> "Span":
        return Span(min(self.start, other.start), max(self.end, other.end))


@dataclass
class Run:
    """A piece of inline text with its marks (b, u, sup, sub, i) and language."""
    text: str
    marks: frozenset = frozenset()
    lang: Optional[str] = None


def plain(runs: list[Run]) -> str:
    return "".join(r.text for r in runs)


class Editor(StrEnum):
    """What an editor's fixes.toml says of a block, over what the rules think."""
    KEEP = "keep"     # no clean-up rule may drop it or set it aside
    SHOW = "show"     # shown to readers even where its picture is missing (the editor's `keep`)
    JOIN = "join"     # join it with the text that goes on (`join_to`: the raw line where it does)
    SPLIT = "split"   # never join it with what follows


@dataclass
class Block:
    span: Span
    kind: str = "block"
    editor: set = field(default_factory=set)   # of Editor
    join_to: Optional[int] = None              # with Editor.JOIN: the raw line where the text goes on

    @property
    def text(self) -> str:  # plain text, for rules and reports
        return ""


@dataclass
class Heading(Block):
    level: int = 1
    runs: list[Run] = field(default_factory=list)
    kind: str = "heading"

    @property
    def text(self) -> str:
        return plain(self.runs)


@dataclass
class Paragraph(Block):
    runs: list[Run] = field(default_factory=list)
    role: str = "body"          # body | caption | source | figure-text | note
    lang: Optional[str] = None
    kind: str = "paragraph"

    @property
    def text(self) -> str:
        return plain(self.runs)


@dataclass
class ListBlock(Block):
    ordered: bool = False
    items: list[list[Run]] = field(default_factory=list)
    start: int = 1
    marker: str = ""            # the first item's number as written ("04"), for titles set as items
    lang: Optional[str] = None
    kind: str = "list"

    @property
    def text(self) -> str:
        return "\n".join(plain(i) for i in self.items)


@dataclass
class Cell:
    runs: list[Run]
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    numeric: bool = False

    @property
    def text(self) -> str:
        return plain(self.runs)


@dataclass
class Row:
    cells: list[Cell]
    role: str = "body"          # head | body | group | total


@dataclass
class Table(Block):
    rows: list[Row] = field(default_factory=list)
    caption: list[Run] = field(default_factory=list)
    notes: list[list[Run]] = field(default_factory=list)
    lang: Optional[str] = None
    kind: str = "table"

    @property
    def head(self) -> list[Row]:
        return [r for r in self.rows if r.role == "head"]

    @property
    def body(self) -> list[Row]:
        return [r for r in self.rows if r.role != "head"]

    @property
    def columns(self) -> int:
        return max((sum(c.colspan for c in r.cells) for r in self.rows), default=0)

    @property
    def text(self) -> str:
        parts = [plain(self.caption)]
        parts += ["\t".join(c.text for c in r.cells) for r in self.rows]
        parts += [plain(n) for n in self.notes]
        return "\n".join(p for p in parts if p)


@dataclass
class Figure(Block):
    """A picture of the issue: `src` as the source wrote it, `file` the image
    inside the issue folder (None: not there), its caption and credit lines,
    and the text a reader who cannot see it is given instead (`alt`)."""
    src: str = ""
    file: Optional[str] = None          # path relative to the issue folder, checked to be inside it
    alt: str = ""
    alt_from: str = ""                  # where the alt text came from: extractor | image-text | caption | editor | ""
    near: str = ""                      # the start of the passage it illustrates (a text for it, when nothing describes it)
    caption: list[Run] = field(default_factory=list)
    notes: list[list[Run]] = field(default_factory=list)   # a source or credit line under it
    size: tuple[int, int] = (0, 0)      # pixels
    dpi: float = 0.0                    # the resolution it was scanned or cropped at (its natural size)
    lang: Optional[str] = None
    kind: str = "figure"

    @property
    def text(self) -> str:   # what a reader reads of it on the page
        return "\n".join(p for p in [plain(self.caption)] + [plain(n) for n in self.notes] if p)


@dataclass
class Article:
    id: str
    title: str
    section: str
    blocks: list[Block] = field(default_factory=list)
    printed_page: Optional[int] = None
    source: Optional[str] = None
    span: Optional[Span] = None


@dataclass
class Section:
    id: str
    name: str
    articles: list[Article] = field(default_factory=list)


@dataclass
class Meta:
    id: str
    title: str
    subtitle: str
    language: str
    date: str
    publisher: str
    identifier: str
    number: str = ""
    extra: dict = field(default_factory=dict)
    # the cover picture, a file of the issue folder (issue.toml `cover`); "" → a cover drawn from the metadata
    cover: str = ""
    # the day of this release (issue.toml `modified`, YYYY-MM-DD): a corrected re-release names its own
    # day, so that reading apps see a new version; "" → the source's last change (last_change)
    modified: str = ""
    # without `modified`: when git last recorded a change to the issue folder (its commit time, Unix
    # seconds), the same in every clone of the history; None outside git → the issue's month
    last_change: Optional[int] = None

    @property
    def date_label(self) -> str:
        """"2025-08" → "2025年8月"."""
        parts = self.date.split("-")
        if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
            return f"{parts[0]}年{int(parts[1])}月"
        return self.date


@dataclass
class Issue:
    meta: Meta
    magazine: dict
    front: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    back: list[Block] = field(default_factory=list)
    disclaimer: str = ""
    has_contents: bool = True

    @property
    def articles(self) -> list[Article]:
        return [a for s in self.sections for a in s.articles]


@dataclass
class Change:
    """One automatic decision, for the audit trail."""
    rule: str
    span: Span
    before: str
    after: str
    stage: str = "clean"
    link: Optional[tuple] = None   # (raw line a cut text ends at, line its continuation starts at)


@dataclass
class Drop:
    """Source text that reaches no edition, and why."""
    rule: str
    span: Span
    text: str
    reason: str


@dataclass
class Warning_:
    rule: str
    span: Optional[Span]
    message: str


@dataclass
class Log:
    """Everything the stages decided; the report is made from it."""
    changes: list[Change] = field(default_factory=list)
    drops: list[Drop] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)

    def change(self, rule, span, before, after, stage="clean", link=None):
        self.changes.append(Change(rule, span, before, after, stage, link))

    def drop(self, rule, span, text, reason):
        self.drops.append(Drop(rule, span, text, reason))

    def warn(self, rule, span, message):
        self.warnings.append(Warning_(rule, span, message))
