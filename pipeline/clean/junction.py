"""junction: reading the place where a cut text may go on.

What a sentence may end or open with, and what the issue's own text says
about a pair of characters rejoined across a page break: the evidence the
join rule (clean/join.py) weighs before it joins two pieces.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ..model import Paragraph
from ..text import BRACKETS, HALF_CLOSE, HAN, HAN_CHAR, OPENER_OF, TERMINAL, unclosed
from .lexicon import JUNCTION, LEXICON, alternatives

SPLIT_DECIMAL_HEAD = re.compile(r"\d\.$")   # "持股46." | "96%": Chinese ends no sentence with "."


def closes_a_word(t: str) -> bool:
    """The text ends with a bracket or quotation that closes inside a sentence:
    neither it nor what it encloses follows a sentence's end ("。（责任单位：…）")."""
    if len(t) < 2 or t[-1] not in OPENER_OF or t[-2] in TERMINAL:
        return False
    k = t.rfind(OPENER_OF[t[-1]])
    return k > 0 and t[k - 1] not in TERMINAL


# particles and function words: a sentence does not begin or end with them
PARTICLES = set("的了着过地得们和与及或")
NO_SENTENCE_START = set("的们")   # not 了/过/得/地: 了解, 过去, 得到, 地方 begin sentences
PREPOSITION_START = re.compile(r"^于(?!是)")   # "起步 | 于 20 世纪"; but 于是 opens sentences
# "环，才能…", "话题。使用…": no paragraph opens so (but two before a comma do: 其中，同时，此外，)
SHORT_FIRST_CLAUSE = re.compile(f"^[{HAN}][，、。；：]|^[{HAN}]{{2}}[。；]")
NO_TITLE_END = set("的和与及或为在对把被从向于将以而并且是之其由但因若即也都就又已可")   # a title does not end on these
# posts a person is named after ("副市长曹小明"): a post and one character is a name cut in two
POSTS = alternatives(LEXICON["posts"])
NAME_CUT = re.compile(f"(?:{POSTS})[{HAN}]$")
NO_PARAGRAPH_START = set("，。、；：？！）》」』”’】,;:)%％")


# ---------------------------------------------------------------- items
# a paragraph that opens so is a new item of a list the page shows (a question, its parts, an
# option, a reference, a worked answer's parts): a typesetter never runs it on into the text
# before it, however open that text ends ("…的最小值为" | "【分析】…" is a blank to fill in, not a cut)
CN_NUMERAL = "一二三四五六七八九十"
ITEM_OPENING = re.compile(
    r"\s*(?:"
    r"\d{1,3}\s*[.．、](?!\s*\d)"                      # "12．", "4.已知", "12、" (not 2.64, 5、6月)
    r"|\d{1,2}[)）](?!\s*\d)"                           # "3）"
    r"|[（(]\s*\d{1,2}\s*[)）]"                         # "（3）", "(2)"
    r"|[①-⑳]|\$?\s*\\textcircled\s*\{?\s*\d"            # "①", MinerU's "$\textcircled{1}$"
    f"|[{CN_NUMERAL}]{{1,3}}\\s*[、．.](?![{CN_NUMERAL}])"  # "三．解答题", "一、" (not 一、二线城市)
    f"|[（(][{CN_NUMERAL}]{{1,3}}[)）]"                  # "（二）"
    f"|第\\s*[\\d{CN_NUMERAL}]{{1,3}}\\s*[题问]"         # "第3题"
    r"|例\s*\d{1,2}(?!\s*[.\d])"                        # "例2" (not 例1.5倍)
    r"|【[^】\n]{1,12}】"                                # "【例1】", "【分析】", "【答案】"
    r"|[A-H]\s*[．、](?![A-Za-z])|[A-H]\.(?=\s|[^\x00-\x7f])"   # "A．", "B. " (not A、B两点, E.g.)
    r"|(?:解|答|问|注|证|证明|提示|分析|详解|解析|答案|解答|点评|故选)\s*[：:]"   # "解：", "提示："
    f"|(?:方法|法|问题|步骤|变式|类型|题型|考点)\\s*[\\d{CN_NUMERAL}]{{1,3}}\\s*[：:．.、]"   # "法 2：", "方法二："
    r")")
REFERENCE_MARK = re.compile(r"\s*\[\d{1,3}\]")
# "[3] Smith, J. …", "[4] 张三. 标题[J]. …": an entry, not a citation mark a cut sentence goes on with
REFERENCE_ENTRY = re.compile(r"\s*\[\d{1,3}\]\s*(?:(?=[A-Z])|\s|.{1,80}?\[(?:[JMDCRSNPZ]|EB/OL)\])")


def opens_an_item(head: str, tail: str) -> bool:
    """`tail` begins a new item, so it does not go on with `head`.  A reference
    mark begins one only as an entry (or after an entry); "（" | "1）…" closes a
    bracket the head opened."""
    if REFERENCE_MARK.match(tail):
        return bool(REFERENCE_ENTRY.match(tail) or REFERENCE_MARK.match(head))
    m = ITEM_OPENING.match(tail)
    if m is None:
        return False
    owed = unclosed(head)
    return not (owed and m.group(0).rstrip()[-1:] in (owed, HALF_CLOSE.get(owed, owed))
                and not re.match(r"\s*[（(]", tail))


HAN_PAIR = re.compile(f"(?=([{HAN}][{HAN}]))")
CLAUSE_MARKS = "。，、；：！？“”‘’（）《》「」『』【】(),;:!?\n"   # half-width too: counted before they turn full
CLAUSE_START_PAIR = re.compile(f"(?:^|(?<=[{CLAUSE_MARKS}]))(?=([{HAN}][{HAN}]))")
CLAUSE_END_PAIR = re.compile(f"(?=([{HAN}][{HAN}])(?:[{CLAUSE_MARKS}]|$))")
# two characters, a comma: an adverb or connective opening a sentence ("此外，"), or the
# tail of a cut clause ("三中全会|精神，").  Those the issue opens sentences with elsewhere,
# and these common ones, are openers
SENTENCE_OPENER = re.compile(f"(?<=[。！？])([{HAN}]{{2}})，")
FIRST_CLAUSE_PAIR = re.compile(f"^([{HAN}]{{2}})，")
COMMON_OPENERS = frozenset(LEXICON["common_openers"])
RARE_AT_BOUNDARY = JUNCTION["rare_at_boundary"]   # a pair seen at a clause boundary at most this often…
SEEN_OFTEN = JUNCTION["seen_often"]               # …in at least this many other places is inside a phrase
LABEL_LENGTH = 20                                 # a label is a short line


@dataclass
class HanStats:
    """How often each Han character and each adjacent pair occurs in the
    issue.  A cut inside a word (移动终|端, 提|供) rejoins into a pair that
    occurs far more often than its characters' frequencies predict."""
    chars: Counter
    pairs: Counter
    total: int
    starts: Counter = field(default_factory=Counter)   # pair at a clause's start
    ends: Counter = field(default_factory=Counter)     # pair at a clause's end
    openers: Counter = field(default_factory=Counter)  # "此外，": a two-character clause opening a sentence
    short: Counter = field(default_factory=Counter)    # short paragraphs, by their text

    @classmethod
    def of(cls, blocks) -> "HanStats":
        text = "\n".join(b.text for b in blocks)
        chars = Counter(HAN_CHAR.findall(text))
        pairs = Counter(HAN_PAIR.findall(text))
        starts = Counter(m.group(1) for m in CLAUSE_START_PAIR.finditer(text))
        ends = Counter(m.group(1) for m in CLAUSE_END_PAIR.finditer(text))
        openers = Counter(SENTENCE_OPENER.findall(text))
        short = Counter(b.text.strip() for b in blocks
                        if isinstance(b, Paragraph) and 0 < len(b.text.strip()) < LABEL_LENGTH)
        return cls(chars, pairs, max(sum(chars.values()), 1), starts, ends, openers, short)

    def is_label(self, text: str) -> bool:
        """A short line the document sets apart more than once ("观图，理解题意" before
        every exercise) is a label: a sentence cut at a page break is not repeated word for word."""
        t = text.strip()
        return 0 < len(t) < LABEL_LENGTH and self.short[t] >= 2

    def boundary_rate(self, pair: str, at: Counter) -> tuple[float, int]:
        """How often `pair` stands at a clause boundary (`at` = starts or
        ends) elsewhere in the issue, smoothed, and how often it occurs
        elsewhere: the junction under test counts once in both."""
        n = self.pairs.get(pair, 0) - 1
        return (max(at.get(pair, 0) - 1, 0) + 0.5) / (max(n, 0) + 1), n

    def surprise(self, x: str, y: str) -> float:
        """-log10 of the chance that the pair xy occurs as often as it does
        if its characters fell together at random (Poisson): 3 means one in
        a thousand.  A word cut in two (试|点, 6 times where 0.4 are expected)
        is surprising; a chance neighbour (产|工) is not."""
        n = self.pairs.get(x + y, 0)
        if not n:
            return 0.0
        expected = self.chars[x] * self.chars[y] / self.total
        term = math.exp(-expected)
        below = 0.0
        for k in range(n):   # P(X < n)
            below += term
            term *= expected / (k + 1)
        return -math.log10(max(1.0 - below, 1e-300))


# ---------------------------------------------------------------- structural signs
# that `tail` goes on with `head`: each is enough to cross a heading between the halves

def _closes_a_bracket(head, tail):
    """"（平" | "台)联合": the tail closes what the head opened (an English title may stand inside)."""
    owed = unclosed(head)
    if not owed:
        return False
    closers = {owed, HALF_CLOSE.get(owed, owed)}
    cut = min((tail.find(c) for c in closers if c in tail), default=-1)
    openers = {o for o, c in BRACKETS.items() if c in closers}
    return 0 <= cut < 120 and not any(o in tail[:cut] for o in openers)


def _opens_a_bracket(head, tail):
    """"I2C（" | "Inter-Integrated Circuit：…": the head ends inside a bracket."""
    return head[-1:] in BRACKETS


def _no_paragraph_opens_so(head, tail):
    """"增长7.2" | "%；进口", "…" | "，…": punctuation that opens no paragraph."""
    return tail[:1] in NO_PARAGRAPH_START


def _latin_word_split(head, tail):
    """"Semi" | "conductor"."""
    return head[-1:].isascii() and head[-1:].isalpha() and tail[:1].islower()


def _number_split(head, tail):
    """"持股46." | "96%", "7959" | ".62万股": a number split at its decimal point."""
    return bool(SPLIT_DECIMAL_HEAD.search(head) and tail[:1].isdigit()
                or head[-1:].isdigit() and re.match(r"\.\d", tail))


def _name_split(head, tail):
    """"副市长曹" | "小明作市情推介": a post and one character is half a name."""
    return bool(NAME_CUT.search(head) and HAN_CHAR.match(tail[:1] or " "))


def _date_split(head, tail):
    """"成立于2001年" | "12月23日"."""
    return bool(re.search(r"\d\s*年$", head) and re.match(r"\d{1,2}\s*月", tail)
                or re.search(r"\d\s*月$", head) and re.match(r"\d{1,2}\s*日", tail))


def _opens_no_sentence(head, tail):
    """"的…", "环，才能…", "话题。使用…", "于 20 世纪…": no paragraph begins so."""
    return bool(tail[:1] in NO_SENTENCE_START or SHORT_FIRST_CLAUSE.match(tail) or PREPOSITION_START.match(tail))


def _gloss(head, tail):
    """"制造商" | "（IDM）业务模式": the gloss of the word before it."""
    x = head[-1:]
    return bool(re.match(r"[（(][A-Za-z][A-Za-z0-9&/\-]{1,11}[)）]", tail) and (HAN_CHAR.match(x) or x.isalnum()))


def _hyphenated_name_split(head, tail):
    """"RISC" | "-V", "Fab-" | "Lite"."""
    x = head[-1:]
    return bool(x.isascii() and x.isalnum() and re.match(r"-[A-Za-z0-9]", tail)
                or re.search(r"[A-Za-z]-$", head) and re.match(r"[A-Za-z]", tail))


STRUCTURAL_SIGNS = [(3, _closes_a_bracket), (3, _opens_a_bracket), (3, _no_paragraph_opens_so),
                    (2, _latin_word_split), (3, _number_split), (3, _name_split), (3, _date_split),
                    (2, _opens_no_sentence), (3, _gloss), (3, _hyphenated_name_split)]


def junction_evidence(head: str, tail: str, stats: HanStats, tail_alone=True) -> tuple[float, bool]:
    """(score, structural) for reading `tail` straight after `head`.

    A structural sign (STRUCTURAL_SIGNS) is enough to cross a heading; what
    the issue's statistics say (a word rejoined, a pair that never ends or
    opens a clause) only ranks candidates.  `tail_alone`: count the evidence
    the tail gives by itself (it speaks for the nearest head only)."""
    tail = tail.lstrip()
    score, structural = 0.0, False
    for points, sign in STRUCTURAL_SIGNS:
        if sign(head, tail):
            score, structural = score + points, True
    x, y = head[-1:], tail[:1]
    # a word rejoined; not across a particle ("的|企业" is frequent, but no word)
    if x and y and HAN_CHAR.match(x) and HAN_CHAR.match(y) and x not in NO_TITLE_END and y not in PARTICLES:
        surprise = stats.surprise(x, y)
        score += 2 if surprise >= 3 else (1 if surprise >= 1.3 else 0)
    opener = FIRST_CLAUSE_PAIR.match(tail)
    if tail_alone and opener and opener.group(1) not in COMMON_OPENERS and not stats.openers[opener.group(1)]:
        score += 2   # "精神，加快…", "数据，目前…": no sentence of the issue opens so
    elif inside_phrase(head[-2:], stats.ends, stats) or tail_alone and inside_phrase(tail[:2], stats.starts, stats):
        score += 2   # "募集|说明书", "显示|领域": the issue never ends or begins a clause so
    return score, structural


def inside_phrase(pair: str, at: Counter, stats: HanStats) -> bool:
    if len(pair) < 2 or not (HAN_CHAR.match(pair[0]) and HAN_CHAR.match(pair[1])):
        return False
    rate, seen = stats.boundary_rate(pair, at)
    return seen >= SEEN_OFTEN and rate <= RARE_AT_BOUNDARY


def han_stats(blocks, ctx) -> HanStats:
    """The issue's character statistics, counted once per build, before any
    join (so that no junction counts itself)."""
    if ctx.stats is None:
        ctx.stats = HanStats.of(blocks)
    return ctx.stats
