"""Inline markup of the extractor's text → runs of plain Unicode with marks.

What extractors write inline: HTML-ish tags (<b>, <u>, <sup>, …), markdown
emphasis (**…**), backslash escapes (\\_, \\*), autolinks (<http://…>),
links ([text](#)), and LaTeX fragments ($\\mu\\text{m}$).  Everything becomes
text with marks; no markup character reaches a reader.  Tags we do not know
(<script>, <iframe>, …) stay as literal text: lxml escapes it on output, so it
is shown, harmless, and nothing the source says is lost.
"""
from __future__ import annotations

import re

from .model import Run

# tag name → mark
MARK_TAGS = {"b": "b", "strong": "b", "u": "u", "sup": "sup", "sub": "sub",
             "i": "i", "em": "i"}

TOKEN = re.compile(
    r"""(?P<escape>\\(?P<escaped>[\\`*_{}\[\]()#+\-.!|<>$~%&]))
      | (?P<tag></?(?P<tagname>[a-zA-Z]+)\s*/?>)
      | (?P<autolink><(?P<url>(?:https?|mailto):[^\s<>]+)>)
      | (?P<link>\[(?P<linktext>[^\[\]]+)\]\((?P<href>\#[^()\s]*|https?://[^()\s]+)\))
      | (?P<math>\$(?P<tex>(?:\\\$|[^$\n]){1,4000})\$)      # a formula may hold a dollar sign (US\$)
      | (?P<strong>\*\*)
    """,
    re.VERBOSE,
)

# LaTeX commands found in extracted text, as Unicode
TEX_SYMBOLS = {
    "mu": "μ", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "times": "×",
    "pm": "±", "approx": "≈", "neq": "≠", "ne": "≠", "alpha": "α", "beta": "β",
    "gamma": "γ", "delta": "δ", "Delta": "Δ", "lambda": "λ", "Omega": "Ω",
    "omega": "ω", "pi": "π", "sigma": "σ", "theta": "θ", "infty": "∞",
    "cdot": "·", "circ": "°", "degree": "°", "rightarrow": "→", "to": "→",
    "sim": "～", "%": "%", "quad": " ", ",": " ", ";": " ", "!": "", "_": "_", "$": "$",   # \_ : a blank to fill in
}


# a binary operator or relation between two operands is set with a space on each side, as maths
# is typeset ("13 − 3 = 10", not the extractor's "13- 3= 10"); a sign before a number is not
BINARY = re.compile(r"(?<=[\w)\]′°²³])\s*([=+\-<>≤≥×±≈≠→÷])\s*(?=[\w(\[√])")


def _space_operators(runs: list[Run]) -> list[Run]:
    from .text import edit_runs

    def spaced(m):
        op = "−" if m.group(1) == "-" else m.group(1)
        edits = {k: "" for k in range(m.start(), m.end())}
        edits[m.start(1)] = f" {op} "
        return edits
    return edit_runs(runs, BINARY, spaced)


def tex_to_runs(tex: str, marks: frozenset) -> list[Run] | None:
    """Translate a small LaTeX fragment; None when it is not LaTeX we know."""
    out = _tex_to_runs(tex, marks)
    return None if out is None else _space_operators(out)


def _tex_to_runs(tex: str, marks: frozenset) -> list[Run] | None:
    out: list[Run] = []
    i = 0
    buf = ""

    def flush():
        nonlocal buf
        if buf:
            out.append(Run(buf, marks))
            buf = ""

    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            m = re.match(r"\\([a-zA-Z]+|.)", tex[i:], re.S)
            if not m:
                return None     # a backslash that ends the formula: not LaTeX we know
            name = m.group(1)
            i += m.end()
            if name in ("text", "mathrm", "mathit", "textbf", "operatorname", "mathbf"):
                g = re.match(r"\s*\{([^{}]*)\}", tex[i:])
                if not g:
                    return None
                word = g.group(1)
                if name != "text":           # spaces in maths are not text: \mathrm { U S } is "US";
                    word = word.replace("\\ ", "\0").replace(" ", "").replace("\0", " ")  # "\ " is one
                if "\\" in word:
                    return None             # a command inside (\mathbf { \partial }): the maths libraries'
                if buf[-1:].isdigit() and word[:1].isalpha():
                    buf += " "              # 13\text{dB} → "13 dB"
                buf += word
                i += g.end()
            elif name in TEX_SYMBOLS:
                buf += TEX_SYMBOLS[name]
            else:
                return None
        elif ch in "^_":
            g = re.match(r"[\^_]\s*(\{([^{}]*)\}|(.))", tex[i:], re.S)
            if not g:
                return None
            inner = g.group(2) if g.group(2) is not None else g.group(3)
            sub = _tex_to_runs(inner, marks | {"sup" if ch == "^" else "sub"})
            if sub is None:
                return None
            flush()
            out.extend(sub)
            i += g.end()
        elif ch in "{}":
            i += 1
        elif ch == " ":
            # spaces in math mode are not text; "≤ 13" keeps one for readability
            rest = tex[i:].lstrip()
            decimal = buf[-1:] in (".", ",") and rest[:1].isdigit()       # 3 4 . 5 is 34.5
            if buf and not buf.endswith(" ") and not buf[-1].isalnum() and buf[-1] not in "$€£¥" and not decimal:
                buf += " "
            i += 1
        else:
            buf += ch
            i += 1
    flush()
    return out


MARKDOWN = ("link", "strong")   # markdown tokens a table cell does not read (its backslash escapes it does: `\\%`)


CIRCLED = re.compile(r"\\textcircled\s*\{?\s*(\d{1,2})\s*\}?")


def tidy_tex(tex: str) -> str:
    """The extractor's TeX with its spaces between every token made single,
    and \\textcircled{1}, which no maths library here draws, as ①."""
    tex = CIRCLED.sub(lambda m: chr(0x2460 + int(m.group(1)) - 1) if 1 <= int(m.group(1)) <= 20
                      else m.group(), tex)
    return re.sub(r"\s+", " ", tex).strip()


def parse_inline(text: str, lang: str | None = None, markdown: bool = True) -> list[Run]:
    """Parse inline markup into runs; unbalanced tags are closed at the end,
    an unpaired ** is literal.  With markdown=False (a table cell, where
    `0.358***` marks significance and `_` fills a blank) only HTML tags and
    TeX are markup."""
    runs: list[Run] = []
    stack: list[str] = []
    tokens = [m for m in TOKEN.finditer(text) if markdown or m.lastgroup not in MARKDOWN]
    stars = [m for m in tokens if m.lastgroup == "strong"]
    if len(stars) % 2:
        tokens.remove(stars[-1])           # the one with no partner is two stars

    def marks() -> frozenset:
        return frozenset(stack)

    def emit(s: str, extra: frozenset = frozenset()):
        if not s:
            return
        m = marks() | extra
        if runs and runs[-1].marks == m and runs[-1].lang == lang:
            runs[-1] = Run(runs[-1].text + s, m, lang)
        else:
            runs.append(Run(s, m, lang))

    pos = 0
    for m in tokens:
        emit(text[pos:m.start()])
        pos = m.end()
        if m.group("escape"):
            emit(m.group("escaped"))
        elif m.group("tag"):
            name = m.group("tagname").lower()
            closing = m.group("tag").startswith("</")
            mark = MARK_TAGS.get(name)
            if name == "br":
                emit("\n")                     # a line break the extractor kept
            elif mark is None:
                emit(m.group("tag"))            # unknown tag: literal, escaped later
            elif closing:
                if mark in stack:
                    # close the innermost matching mark
                    idx = len(stack) - 1 - stack[::-1].index(mark)
                    del stack[idx]
            else:
                stack.append(mark)
        elif m.group("autolink"):
            emit(m.group("url"))
        elif m.group("link"):
            emit(m.group("linktext"))
        elif m.group("math"):
            tex = tex_to_runs(tidy_tex(m.group("tex")), marks())
            if tex is None:
                from .render.math import readable
                if readable(tidy_tex(m.group("tex"))):   # a formula: typeset by each edition
                    runs.append(Run(tidy_tex(m.group("tex")), frozenset({"math"}), lang))
                else:        # TeX no maths library reads: as written, in code face (clean warns)
                    runs.append(Run(m.group("math"), frozenset({"tex"}), lang))
            else:
                for r in tex:
                    emit(r.text, r.marks - marks())
        elif m.group("strong"):
            if "b*" in stack:
                stack.remove("b*")
            else:
                stack.append("b*")
    emit(text[pos:])
    # "b*" is bold from ** emphasis
    return [Run(r.text, frozenset("b" if x == "b*" else x for x in r.marks), r.lang)
            for r in runs]


def strip_markup(text: str) -> str:
    return "".join(r.text for r in parse_inline(text))
