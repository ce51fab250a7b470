"""Where a Chinese headline may break: between words, never inside one (`万亩千/亿`, `所得/税`), and in
two lines of about the same length, as a typesetter sets a title that does not fit one line.

The words come from jieba (a dictionary segmenter made for Chinese); a break is allowed only where
its two ways of cutting agree (with and without its model of unknown words), never inside a run of
Latin letters and digits, never before closing or after opening punctuation.  The writers set the
title in two halves that each break only between words; whether the halves share a line is the
layout's business (common.css `.title-half`), so nothing here knows the measure.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

OPENING = set("“‘《〈「『【〔（([")
CLOSING = set("”’》〉」』】〕）)]，。、；：！？,.;:!?…—·")
LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-+/%]*")
QUOTED = re.compile(r"“[^”]{1,8}”|‘[^’]{1,8}’|《[^》]{1,8}》|「[^」]{1,8}」|『[^』]{1,8}』")
SHORT = 12     # ems: a title shorter than this fits any line it is set on; left alone


def segmenter_languages(lang: str) -> bool:
    return lang.lower().startswith("zh")


@lru_cache(maxsize=None)
def _jieba():
    import jieba
    jieba.setLogLevel(logging.WARNING)
    return jieba


def ems(text: str) -> float:
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


def breaks(text: str) -> list[int]:
    """The positions inside `text` where a line may break between two words."""
    jieba = _jieba()
    cuts = []
    for hmm in (True, False):
        at, found = 0, set()
        for word in jieba.cut(text, HMM=hmm):
            at += len(word)
            found.add(at)
        cuts.append(found)
    unbroken = {k for m in LATIN.finditer(text) for k in range(m.start() + 1, m.end())}
    # a short name in quotes or title marks (“通推一体”, “新势力”) is read as one word
    unbroken |= {k for m in QUOTED.finditer(text) for k in range(m.start() + 1, m.end())}
    return sorted(k for k in cuts[0] & cuts[1]
                  if 0 < k < len(text) and k not in unbroken
                  and text[k] not in CLOSING and text[k - 1] not in OPENING and not text[k].isspace())


def halves(text: str, lang: str) -> list[list[str]] | None:
    """The title as two halves of words, cut at the break nearest its middle, or None where it is
    left to the layout (short, not Chinese, or no break to cut at)."""
    if not segmenter_languages(lang) or ems(text) < SHORT:
        return None
    cuts = breaks(text)
    if not cuts:
        return None
    middle = ems(text) / 2
    cut = min(cuts, key=lambda k: abs(ems(text[:k]) - middle))
    words = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
    first = [w for w, end in zip(words, cuts + [len(text)]) if end <= cut]
    return [first, words[len(first):]]
