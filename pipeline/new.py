"""`editions new sources/<id> --raw FILE [--images DIR]`: a new issue folder from the extractor's
output -- raw.md, images/, an issue.toml whose guesses are marked for the editor to confirm, and an
empty fixes.toml that says what can go in it.  Nothing is written unless all of it can be."""
from __future__ import annotations

import re
import shutil
import tempfile
import tomllib
import uuid
from collections import Counter
from pathlib import Path

from .errors import InputError
from .model import Log
from .read import decode
from .sources import ID

DATE_IN_TEXT = re.compile(r"(20\d\d|19\d\d)\s*年\s*(\d{1,2})\s*月")
NUMBER_IN_TEXT = re.compile(r"(?:(?:19|20)\d\d\s*年\s*)?第\s*\d{1,3}\s*期|总第\s*\d{1,4}\s*期")
CJK = re.compile(r"[\u3400-\u9fff]")
HEADING = re.compile(r"#{1,6}\s+(.+)")

FIXES = """\
# Editor's decisions for {id} that the general rules cannot make (see pipeline/fixes.py and the
# report's warnings, each of which says the fix it would take).  Each fix names raw lines and the
# text expected there, so that a re-extracted source that moved warns instead of fixing the wrong
# lines.  For example:
#
# [[fix]]
# lines = "405-421"
# expect = "the text at those lines"
# action = "figure-text"        # also: drop, heading, join, replace, move, …
# why = "text of a poster"
#
# A rule or decision can be switched off for this issue (`editions rules` lists them):
#
# [clean]
# disable = ["rule_name"]
"""


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _guess(text: str, pattern: re.Pattern) -> tuple[re.Match | None, int]:
    m = pattern.search(text)
    return m, (text.count("\n", 0, m.start()) + 1 if m else 0)


def issue_toml(issue_id: str, text: str, magazine: dict, raw_name: str) -> str:
    """issue.toml for a new issue: what the magazine fixes, and guesses from the text, each marked."""
    lines = [f"# Metadata of issue {issue_id}, written by `editions new` from {raw_name}.",
             "# Lines marked CONFIRM are guesses: check them against the printed issue, then delete the mark.",
             f"id = {_toml_string(issue_id)}"]
    heading = next((m.group(1).strip() for m in map(HEADING.match, text.splitlines()) if m), "")
    title = magazine.get("masthead") or heading or issue_id
    if not magazine.get("masthead"):
        lines.append("# CONFIRM: the first heading of the text")
    lines.append(f"title = {_toml_string(title)}")
    lines.append(f"subtitle = {_toml_string(magazine.get('masthead_en', ''))}")
    months = Counter((int(m.group(1)), int(m.group(2))) for m in DATE_IN_TEXT.finditer(text)
                     if 1 <= int(m.group(2)) <= 12)
    number, number_at = _guess(text, NUMBER_IN_TEXT)
    if number:
        printed = re.sub(r"\s+", "", number.group())
        lines += [f"# CONFIRM: from raw line {number_at}", f"number = {_toml_string(printed)}"]
    cjk = len(CJK.findall(text[:20000])) > 0.2 * len(text[:20000].strip() or "x")
    lines += ["# CONFIRM: from the script of the text (BCP 47: zh-CN, zh-TW, ja, en, …)",
              f"language = {_toml_string('zh-CN' if cjk else 'en')}"]
    years = Counter(y for y, _ in months.elements())
    recent = max((y for y, n in years.items() if n >= 3), default=max(years, default=None))
    if recent is not None:   # an issue reports mostly on its own year's recent months, and cites older ones
        month, times = Counter({m: n for (y, m), n in months.items() if y == recent}).most_common(1)[0]
        lines += [f"# CONFIRM: the month the text names most ({times} times) in the latest year it names often;"
                  " the issue's own month is often the next one",
                  f'date = "{recent:04d}-{month:02d}"']
    else:
        lines += ["# CONFIRM: no date found in the text: the issue's year and month", 'date = "2000-01"']
    publisher = magazine.get("publisher", {}).get("name", "") if isinstance(magazine.get("publisher"), dict) else ""
    if not publisher:
        lines.append("# CONFIRM: the publisher as printed in the issue")
    lines.append(f"publisher = {_toml_string(publisher or title)}")
    lines += ["# the EPUB's identifier: made once, kept for every rebuild and corrected re-release",
              f'identifier = "urn:uuid:{uuid.uuid4()}"']
    return "\n".join(lines) + "\n"


def new_issue(folder: Path, raw: Path, images: Path | None = None) -> Path:
    """Make the issue folder; InputError (exit 2) for what the editor must change first."""
    folder = Path(folder)
    if not ID.fullmatch(folder.name) or folder.name in (".", ".."):
        raise InputError(str(folder), 0, f"'{folder.name}' is not a name for an issue: use letters, digits, '-', '_', '.'")
    if folder.exists():
        raise InputError(str(folder), 0, "already exists: `new` makes a new issue folder and changes none")
    if not raw.is_file():
        raise InputError(str(raw), 0, "no such file: the extractor's text of the issue (--raw)")
    if images is not None and not images.is_dir():
        raise InputError(str(images), 0, "no such folder: the extractor's pictures (--images)")
    data = raw.read_bytes()
    text = decode(data, str(raw), Log())          # InputError for empty or binary text
    magazine_file = folder.parent / "magazine.toml"
    magazine = {}
    if magazine_file.is_file():
        try:
            magazine = tomllib.loads(magazine_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise InputError(str(magazine_file), getattr(err, "lineno", 0) or 0, f"not valid TOML: {err}") from None
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
    try:
        (staging / "raw.md").write_bytes(data)
        if images is not None:
            shutil.copytree(images, staging / "images")
        (staging / "issue.toml").write_text(issue_toml(folder.name, text, magazine, raw.name), encoding="utf-8")
        (staging / "fixes.toml").write_text(FIXES.format(id=folder.name), encoding="utf-8")
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder
