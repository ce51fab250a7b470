"""glyphs: the characters of the text that no font can draw.

WeasyPrint (Pango) draws a character from the font the style sheet names when
that font has it, and otherwise from any other installed font that has it: with
only fonts-noto-cjk, DejaVu and URW installed, an emoji such as U+1F600 comes
from DejaVu Sans and a private-use character of the URW fonts from Nimbus Sans.
A character that no font has is drawn as an empty box (the font's .notdef), and
the PDF's text layer names some other character for it (MEASURED.md, "Fonts").
So what can be drawn is the union of the coverage of every font Pango can load,
which is what fontconfig lists: its charset of a font is the font's cmap (the
same set fontTools reads from the 'cmap' tables, see the tests) and is what
Pango consults when it falls back.  Pango (≥ 1.44, HarfBuzz) loads only
TrueType and CFF (OpenType) fonts, not Type 1: a character only a Type 1 font
has prints as a box too.

Asking `fc-list` costs about 10 ms (fontconfig keeps its own cache); reading the
cmaps with fontTools costs about 3 s for the four Noto CJK collections.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from functools import lru_cache

from .model import Log, Span
from .text import code_point, where

RULE = "fonts.missing_glyph"
FORMATS = ("TrueType", "CFF")        # what Pango's HarfBuzz back end loads

# What is never drawn, so needs no glyph: tab and line feed, and the Unicode
# Default_Ignorable_Code_Point characters (DerivedCoreProperties.txt: soft hyphen,
# ZWSP, ZWNJ, ZWJ, word joiner, BOM, variation selectors, tags, Hangul fillers, …),
# which shaping hides.  Combining marks (Mn) are drawn: a mark no font has prints
# as a box (measured: U+1AB0, U+A8E0), so they are looked up like any character.
NOT_DRAWN = re.compile(
    "[\t\n\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")
# drawn as a box although a font has it (measured, WeasyPrint 70): the line separator
# breaks the line and leaves the .notdef of the line's font behind
BOXED = frozenset("\u2028")


@lru_cache(maxsize=1)
def drawable() -> frozenset[int] | None:
    """The code points some installed font that Pango loads can draw; None when
    fontconfig's `fc-list` is not there to ask."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        out = subprocess.run([fc_list, "--format", "%{fontformat}\t%{charset}\n"], capture_output=True,
                             text=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    charsets = set()                 # the faces of a collection share one: read it once
    for line in out.splitlines():
        fmt, _, charset = line.partition("\t")
        if fmt in FORMATS:
            charsets.add(charset)
    points: set[int] = set()
    for charset in charsets:
        for part in charset.split():
            lo, _, hi = part.partition("-")
            points.update(range(int(lo, 16), int(hi or lo, 16) + 1))
    return frozenset(points) if points else None


def private_use(ch: str) -> bool:
    return unicodedata.category(ch) == "Co"


def without_glyph(text: str, can: frozenset[int]) -> set[str]:
    """The distinct characters of `text` that print as an empty box, and the
    private-use ones (a font that has one draws its own meaning for it)."""
    return {ch for ch in set(text)
            if (ord(ch) not in can or ch in BOXED or private_use(ch)) and not NOT_DRAWN.match(ch)}


def missing_glyphs(text: str, log: Log, kept: str | None = None) -> None:
    """One warning per character that no font can draw (or that is private use),
    naming its lines in the decoded raw `text`.  Only the characters still in
    `kept` (the text of the blocks after fixes and clean-up, when given) count:
    one an editor's fix or a rule replaced needs no warning.  Nothing is changed."""
    can = drawable()
    if can is None:
        log.warn(RULE, None, "fontconfig's fc-list was not found, so characters that no font can "
                 "draw (they print as empty boxes) were not looked for")
        return
    missing = without_glyph(text if kept is None else kept, can)
    if not missing:
        return
    found: dict[str, list[int]] = {ch: [] for ch in missing}
    for k, line in enumerate(text.split("\n"), 1):
        if missing.isdisjoint(line):
            continue
        for ch in line:
            if ch in found:
                found[ch].append(k)
    for ch, lines in sorted(found.items()):
        if ch in BOXED:
            what = "WeasyPrint breaks the line there and prints an empty box"
        elif ord(ch) in can:   # private use, and some font has it
            what = ("a private-use character: it means what a font makes it mean, and the font "
                    "that prints it here is not the one the source PDF used")
        else:
            what = (("a private-use character no installed font has" if private_use(ch)
                     else "no installed font has it")
                    + ", so the PDFs print an empty box in its place (and their text layer names "
                    "another character)")
        log.warn(RULE, Span(min(lines), max(lines)), f"{code_point(ch)}: {what}: {where(lines)}")
