"""The word lists and weights of the clean-up rules, kept as data in lexicon.toml."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

LEXICON = tomllib.loads(Path(__file__).with_name("lexicon.toml").read_text(encoding="utf-8"))
JOIN = LEXICON["join"]
JUNCTION = LEXICON["junction"]


def alternatives(words) -> str:
    """A regex alternation of the words, as written."""
    return "|".join(re.escape(w) for w in words)
