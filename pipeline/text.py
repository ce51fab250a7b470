"""text: the one vocabulary of characters and the helpers that edit text.

Every stage and the writers take their character classes from here, so that
"a Han character" or "Traditional script" means the same thing everywhere.
"""
from __future__ import annotations

import re
import unicodedata

from zhon import cedict

from .errors import InputError
from .model import Run, plain

# Han ideographs: 〇, CJK Unified and Extension A, the compatibility
# ideographs, and planes 2 and 3, which hold nothing else (Extensions B–I and
# the compatibility supplement; zhon's `hanzi.characters` stops before E).
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
HAN_CHAR = re.compile(f"[{HAN}]")
KANA = re.compile(r"[\u3040-\u30ff]")
# characters written only in Traditional script (CC-CEDICT, via zhon); 於 is
# listed as Simplified too, but a Simplified text writes 于
TRAD_ONLY = frozenset((set(cedict.traditional) - set(cedict.simplified)) | {"於"})

# what a sentence, a clause list or a caption may end with
TERMINAL = frozenset("。！？；：…」』”’）》】〕］〉)]!?;:.…—")
PROSE_MARKS = frozenset("，。、；")       # marks of a clause: prose, not a title or a label
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
FULL_WIDTH_MARKS = "，。、；：！？（）【】《》「」『』"   # they carry their own space
BRACKETS = {"（": "）", "(": ")", "“": "”", "「": "」", "《": "》", "【": "】", "『": "』"}
HALF_CLOSE = {"）": ")", ")": "）"}
OPENER_OF = {c: o for o, c in BRACKETS.items()} | {")": "(", "’": "‘"}


# "资料来源：…", "Source: …": the source line of a chart or table
SOURCE_LINE = re.compile(r"^\s*[(（]?\s*(?:资料|資料|数据|數據|图片|圖片)?(?:来源|來源)\s*[:：]|^\s*\(?\s*Source\s*:", re.I)


def squash(text: str) -> str:
    """The text without any white space, for comparing what was written."""
    return re.sub(r"\s", "", text)


def han_count(text: str) -> int:
    return len(HAN_CHAR.findall(text))


def latin_only(text: str) -> bool:
    """Latin letters and no Han character: English (or another Latin-script language)."""
    return not HAN_CHAR.search(text) and re.search(r"[A-Za-z]{2}", text) is not None


def traditional(text: str, least: int = 3, share: int = 7) -> bool:
    """Written in Traditional script: `least` Traditional-only characters at
    least, and one in `share` of its Han characters (a Simplified sentence may
    quote a name in Traditional); `share=0` asks for the count alone."""
    if TRAD_ONLY.isdisjoint(text):
        return False
    k = sum(map(TRAD_ONLY.__contains__, text))
    return k >= least and (not share or share * k >= han_count(text))


def hant_language(language: str) -> bool:
    """The language tag asks for Traditional script (zh-Hant, zh-TW, zh-HK)."""
    return language.endswith(("Hant", "TW", "HK"))


def all_bold(runs: list[Run]) -> bool:
    """Every visible run is bold: a line set wholly in bold is a sub-title, not prose."""
    return bool(runs) and all("b" in r.marks for r in runs if r.text.strip())


def unclosed(text: str) -> str | None:
    """The closing bracket the text still owes, if any."""
    stack = []
    for ch in text:
        if ch in BRACKETS:
            stack.append(BRACKETS[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
    return stack[-1] if stack else None


VERBATIM = frozenset({"math", "tex"})   # marks of runs whose text the rules never edit


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
        if r.marks & VERBATIM:   # a formula's TeX is not prose: house style does not touch it
            out.append(r)
            pos += len(r.text)
            continue
        chars = [edits.get(pos + k, ch) for k, ch in enumerate(r.text)]
        pos += len(r.text)
        new = "".join(chars)
        if new:
            out.append(Run(new, r.marks, r.lang))
    return out


def delete(m: re.Match) -> dict[int, str]:
    """An `edit_runs` replacement that removes the match."""
    return {k: "" for k in range(m.start(), m.end())}

# What a PDF extractor leaves in the text that no edition may carry: C0 controls
# but tab and line feed (a form feed between pages, a lone CR), DEL, C1 controls,
# the bidirectional embeddings, overrides and isolates (they would reverse the
# printed text) and the noncharacters (U+FFFE, U+FFFF, …).  The read stage
# removes them from raw.md (read.sanitise); in the TOML files they are an error.
CONTROL_CHARS = ("\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef"
                 + "".join(chr(p | 0xfffe) + chr(p | 0xffff) for p in range(0, 0x110000, 0x10000)))
CONTROL = re.compile(f"[{CONTROL_CHARS}]+")
# controls that break a line or a page: between two words they leave a space,
# as a soft line break would (none between Han characters)
BREAKS = set("\x0b\x0c\r\x1c\x1d\x1e\x85")
NAMES = {"\x0b": "LINE TABULATION", "\x0c": "FORM FEED", "\r": "CARRIAGE RETURN", "\x7f": "DELETE",
         "\x85": "NEXT LINE", "\x1c": "FILE SEPARATOR", "\x1d": "GROUP SEPARATOR",
         "\x1e": "RECORD SEPARATOR"}
# a one-line field (a title, a date) holds no tab, line break or line separator either
ONE_LINE = re.compile(f"[{CONTROL_CHARS}\t\n\u2028\u2029]")


# names Python's Unicode data does not give: Tangut ideographs (an algorithmic name it
# lacks) and the CJK extensions newer than its Unicode version (H: 15.0, I: 15.1)
NAMED_RANGES = ((0x17000, 0x187F7, "TANGUT IDEOGRAPH-"), (0x18D00, 0x18D08, "TANGUT IDEOGRAPH-"),
                (0x2EBF0, 0x2EE5D, "CJK UNIFIED IDEOGRAPH-"), (0x31350, 0x323AF, "CJK UNIFIED IDEOGRAPH-"))


def code_point(ch: str) -> str:
    name = NAMES.get(ch) or unicodedata.name(ch, "")
    p = ord(ch)
    if not name:
        name = next((f"{prefix}{p:04X}" for lo, hi, prefix in NAMED_RANGES if lo <= p <= hi), "")
    if not name:
        kind = unicodedata.category(ch)
        name = ("noncharacter" if (p & 0xfffe) == 0xfffe or 0xfdd0 <= p <= 0xfdef
                else "private-use character" if kind == "Co"
                else f"unassigned in Unicode {unicodedata.unidata_version}" if kind == "Cn"
                else "control character")
    return f"U+{p:04X} {name}"


MAX_LINES_LISTED = 10   # of the lines a warning about one character names


def where(lines: list[int]) -> str:
    """'1 place, line 3' or '12 places, lines 3, 5, … and 2 more': where a character
    occurs (one entry a place, so a line may come twice), at most 10 lines named."""
    at = sorted(set(lines))
    listed = ", ".join(map(str, at[:MAX_LINES_LISTED])) + (
        f" and {len(at) - MAX_LINES_LISTED} more" if len(at) > MAX_LINES_LISTED else "")
    places = f"{len(lines)} places" if len(lines) > 1 else "1 place"
    return f"{places}, line{'s' if len(at) > 1 else ''} {listed}"


def check_text(value: str, path, line: int, what: str, one_line=True, limit=None) -> None:
    """InputError for a control character (or, one_line, a line break) or a text too long."""
    m = (ONE_LINE if one_line else CONTROL).search(value)
    if m:
        raise InputError(path, line, f"{what} contains {code_point(m.group()[0])}: remove it")
    if limit and len(value) > limit:
        raise InputError(path, line, f"{what} is {len(value):,} characters long; at most "
                         f"{limit} are allowed")


# an item's own number: （一） (1) 1、 1． 1) ① 一、 a) -- not a decimal number such as 1.5x
OWN_NUMBER = re.compile(r"[（(]\s*(?:[一二三四五六七八九十]+|\d{1,2}|[a-zA-Z])\s*[）)]|\d{1,2}[、．)]|\d{1,2}\.(?!\d)"
                        r"|[\u2460-\u2473\u3251-\u325f]|[一二三四五六七八九十]+、|[a-zA-Z][)．]")


# the gap set between Han and Latin text (a quarter em, U+2005 FOUR-PER-EM SPACE): the writers
# insert it, the PDFs' justification may widen it (render/cjk_justify.py)
HAN_LATIN_GAP = "\u2005"
