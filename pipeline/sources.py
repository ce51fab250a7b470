"""Load an issue folder: raw.md, issue.toml, the magazine's constants, fixes.toml."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .text import check_text
from .errors import InputError, type_name
from .fixes import check_fixes
from .model import Meta

REQUIRED = ["id", "title", "subtitle", "language", "date", "publisher", "identifier"]
# the longest a field may be: a cover line, not a page of text
MAX_LEN = {"id": 64, "title": 300, "subtitle": 300, "publisher": 300, "identifier": 300,
           "language": 35, "number": 100}
# an issue id names files and the output folder: a name, never a path
ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# a well-formed BCP 47 tag: language (2-3 letters, extlang), script, region, variants,
# extensions, private use
LANGUAGE = re.compile(r"""(?ix) [a-z]{2,3} (?:-[a-z]{3}){0,3}
                          (?:-[a-z]{4})?
                          (?:-(?:[a-z]{2}|\d{3}))?
                          (?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*
                          (?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*
                          (?:-x(?:-[a-z\d]{1,8})+)?""")
# magazine.toml: what the stages read from it, and of what type
MAGAZINE_TEXTS = ("masthead", "masthead_en", "disclaimer")
MAGAZINE_LISTS = ("sections", "subjects")
MAGAZINE_TABLES = ("publisher", "words", "print")
PUBLISHER_KEYS = ("name", "names", "lines", "address", "submissions", "website", "phone")
ISSUE_KEYS = (*REQUIRED, "number", "cover", "modified")


@dataclass
class Source:
    folder: Path
    raw_path: Path
    raw: bytes
    meta: Meta
    magazine: dict
    fixes: dict = field(default_factory=dict)
    # (file, line, message): keys no stage reads -- a typo, or a wish: the build warns of them
    unknown: list = field(default_factory=list)


def _load_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(path, 1, "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as err:
        m = re.search(r"line (\d+)", str(err))
        raise InputError(path, int(m.group(1)) if m else 1, f"invalid TOML: {err}") from None


def _line_of(path: Path, key: str) -> int:
    """The line where `key = …` or a table `[key]` is written (1 if not found)."""
    pattern = re.compile(rf"\s*\[*\s*[\"']?{re.escape(key)}[\"']?\s*(=|\]|\.)")
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if pattern.match(line):
            return n
    return 1


def _meta(data: dict, path: Path) -> Meta:
    fields = {}
    for key in REQUIRED:
        value = data.get(key)
        if key == "date" and isinstance(value, date) and not isinstance(value, datetime):
            value = value.isoformat()          # date = 2025-08-01, a TOML date
        if not isinstance(value, str) or not value.strip():
            line = _line_of(path, key) if key in data else 1
            if key not in data:
                raise InputError(path, line, f"required field '{key}' is missing or not a text")
            raise InputError(path, line, f"'{key}' is empty" if isinstance(value, str)
                             else f"'{key}' must be a text in quotes, not {type_name(value)}")
        check_text(value, path, _line_of(path, key), f"'{key}'", limit=MAX_LEN.get(key))
        fields[key] = value
    number = data.get("number", "")
    if isinstance(number, int) and not isinstance(number, bool):
        number = str(number)
    if not isinstance(number, str):
        raise InputError(path, _line_of(path, "number"),
                         f"'number' must be a text such as \"2025年第8期\", not {type_name(number)}")
    check_text(number, path, _line_of(path, "number"), "'number'", limit=MAX_LEN["number"])
    if not ID.fullmatch(fields["id"]):
        raise InputError(path, _line_of(path, "id"),
                         f"id {fields['id']!r} is not a name: use the letters a-z and A-Z, digits, '-', "
                         "'_' and '.' (not first), e.g. \"2025-08\"")
    _check_date(fields["date"], path, _line_of(path, "date"))
    if not LANGUAGE.fullmatch(fields["language"]):
        raise InputError(path, _line_of(path, "language"),
                         f"language {fields['language']!r} is not a BCP 47 language tag such as "
                         "\"zh-CN\", \"zh-Hans\" or \"en\"")
    extra = {k: v for k, v in data.items() if k not in REQUIRED and k not in ("number", "cover", "modified")}
    _check_strings(extra, path)
    modified = _modified(data, path)
    return Meta(**fields, number=number, extra=extra, cover=_cover(data, path), modified=modified,
                last_change=None if modified else last_change(path.parent))


def last_change(folder: Path) -> int | None:
    """The commit time of the last commit that changed anything in `folder` (Unix seconds), or None
    when it is not in a git work tree with history (or git is not installed).  A corrected
    re-release is committed, so its editions carry a newer date; the same commit gives the same."""
    import subprocess
    try:
        proc = subprocess.run(["git", "-C", str(folder), "log", "-1", "--format=%ct", "--", "."],
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    out = proc.stdout.strip()
    return int(out) if proc.returncode == 0 and out.isdigit() else None


def _modified(data: dict, path: Path) -> str:
    """issue.toml's `modified`: the release's day, YYYY-MM-DD (a TOML date or a text)."""
    if "modified" not in data:
        return ""
    value, line = data["modified"], _line_of(path, "modified")
    text = value.isoformat() if hasattr(value, "isoformat") else value
    try:
        date.fromisoformat(text)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
    except (TypeError, ValueError):
        raise InputError(path, line, f"modified {value!r} is not a day written YYYY-MM-DD, "
                         "e.g. \"2025-09-03\"") from None
    return text


def _cover(data: dict, path: Path) -> str:
    """issue.toml's `cover`: a picture file inside the issue folder (as the pictures are read)."""
    from .pictures import inspect, locate
    if "cover" not in data:
        return ""
    value, line = data["cover"], _line_of(path, "cover")
    if not isinstance(value, str) or not value.strip():
        raise InputError(path, line, "'cover' must name a picture file of the issue folder, e.g. \"cover.jpg\"")
    found, why = locate(value, path.parent)
    if found is None:
        raise InputError(path, line, f"the cover picture {value!r} is {why}")
    got = inspect(path.parent / found)
    if isinstance(got, str):
        raise InputError(path, line, f"the cover picture {value!r} is {got}")
    return found


def _check_date(value: str, path, line: int) -> None:
    m = DATE.fullmatch(value)
    if m:
        try:
            date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
            return
        except ValueError:
            pass
    raise InputError(path, line, f"date {value!r} is not a calendar date written YYYY, YYYY-MM "
                     "or YYYY-MM-DD, e.g. \"2025-08\"")


def _check_strings(value, path: Path, key: str = "") -> None:
    """No control character in any text of a table, however deep."""
    if isinstance(value, dict):
        for k, v in value.items():
            _check_strings(v, path, k)
    elif isinstance(value, list):
        for v in value:
            _check_strings(v, path, key)
    elif isinstance(value, str):
        check_text(value, path, _line_of(path, key) if key else 1, f"'{key}'", one_line=False)


def _line_in_table(path: Path, table: str, key: str) -> int:
    """The line of `key = …` inside the table `[table]` (else where the table begins)."""
    start = _line_of(path, table)
    pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if n > start and re.match(r"\s*\[", line):
            break
        if n > start and pattern.match(line):
            return n
    return start


def _check_words(words, path: Path) -> None:
    """[words]: the editions' interface words (render/words.py), each a known key and a text."""
    from .render.words import KEYS
    if not isinstance(words, dict):
        raise InputError(path, _line_of(path, "words"),
                         f"'words' must be a table [words] of texts, not {type_name(words)}")
    for key, value in words.items():
        line = _line_in_table(path, "words", key)
        if key not in KEYS:
            raise InputError(path, line, f"[words] has no word '{key}': the words are {', '.join(KEYS)}")
        if not isinstance(value, str):
            raise InputError(path, line, f"[words] '{key}' must be a text, not {type_name(value)}")
        check_text(value, path, line, f"[words] '{key}'", limit=1000)


def _check_magazine(data: dict, path: Path) -> None:
    def wrong(key, what, value):
        raise InputError(path, _line_of(path, key), f"'{key}' must be {what}, not {type_name(value)}")
    for key in MAGAZINE_TEXTS:
        if key in data and not isinstance(data[key], str):
            wrong(key, "a text", data[key])
    for key in MAGAZINE_LISTS:
        if key in data and not (isinstance(data[key], list) and all(isinstance(v, str) for v in data[key])):
            wrong(key, "an array of texts", data[key])
    publisher = data.get("publisher", {})
    if not isinstance(publisher, dict):
        wrong("publisher", "a table [publisher]", publisher)
    for key, value in publisher.items():
        if key == "names":
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                wrong(key, "an array of texts", value)
        elif not isinstance(value, str):
            wrong(key, "a text", value)
    if "words" in data:
        _check_words(data["words"], path)
    if "print" in data:
        _check_print(data["print"], path)
    _check_strings(data, path)


PRINT_KEYS = {"profile": "the print shop's ICC profile, a file beside magazine.toml",
              "condition": "the registered printing condition it characterises, e.g. \"FOGRA51\"",
              "condition_text": "that condition in words"}


def _check_print(table, path: Path) -> None:
    """[print]: the printing condition (render/press.py): a CMYK output profile inside the sources folder."""
    from .pictures import locate
    from .render.press import profile_problem
    if not isinstance(table, dict):
        raise InputError(path, _line_of(path, "print"), f"'print' must be a table [print], not {type_name(table)}")
    for key, value in table.items():
        line = _line_in_table(path, "print", key)
        if key not in PRINT_KEYS:
            raise InputError(path, line, f"[print] has no '{key}': "
                             + "; ".join(f"{k}: {what}" for k, what in PRINT_KEYS.items()))
        if not isinstance(value, str) or not value.strip():
            raise InputError(path, line, f"[print] '{key}' must be a text: {PRINT_KEYS[key]}")
    if "profile" in table:
        line = _line_in_table(path, "print", "profile")
        found, why = locate(table["profile"], path.parent)
        if found is None:
            raise InputError(path, line, f"the print profile {table['profile']!r} is "
                             + why.split(" (")[0].replace("issue folder", "sources folder"))
        problem = profile_problem((path.parent / found).read_bytes()[:200])
        if problem:
            raise InputError(path, line, f"the print profile {table['profile']!r} is {problem}")
    elif table:
        raise InputError(path, _line_of(path, "print"), "[print] names a condition but no 'profile' characterising it")


MAX_RAW_BYTES = 8 * 10**6    # 2 million characters of UTF-32 at most (read.MAX_TEXT)


def load_source(folder: Path) -> Source:
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, 0, "no such issue folder")
    raw_path = folder / "raw.md"
    if not raw_path.is_file():
        raise InputError(raw_path, 0, "missing: the extracted text of the issue")
    size = raw_path.stat().st_size
    if size > MAX_RAW_BYTES:     # not read: the text limit (read.MAX_TEXT) is passed anyway
        raise InputError(raw_path, 1, f"{size / 1e6:,.0f} MB: far more text than one build sets "
                         f"(at most {MAX_RAW_BYTES // 10**6} MB); split it into several issues")
    issue_path = folder / "issue.toml"
    if not issue_path.is_file():
        raise InputError(issue_path, 0, "missing: the issue's metadata (id, title, date, …)")
    meta = _meta(_load_toml(issue_path), issue_path)
    magazine_path = folder.parent / "magazine.toml"
    magazine = _load_toml(magazine_path) if magazine_path.is_file() else {}
    _check_magazine(magazine, magazine_path)
    fixes_path = folder / "fixes.toml"
    fixes = _load_toml(fixes_path) if fixes_path.is_file() else {}
    check_fixes(fixes, fixes_path)
    unknown = [(issue_path, _line_of(issue_path, k), f"unknown key '{k}': issue.toml holds {', '.join(ISSUE_KEYS)}")
               for k in _issue_data(issue_path) if k not in ISSUE_KEYS]
    unknown += [(magazine_path, _line_of(magazine_path, k), f"unknown key '{k}': magazine.toml holds "
                 f"{', '.join(MAGAZINE_TEXTS + MAGAZINE_LISTS + MAGAZINE_TABLES)}")
                for k in magazine if k not in MAGAZINE_TEXTS + MAGAZINE_LISTS + MAGAZINE_TABLES]
    unknown += [(magazine_path, _line_of(magazine_path, k), f"unknown key '{k}' in [publisher]: it holds "
                 f"{', '.join(PUBLISHER_KEYS)}")
                for k in (magazine.get("publisher") or {}) if k not in PUBLISHER_KEYS]
    return Source(folder, raw_path, raw_path.read_bytes(), meta, magazine, fixes, unknown)


def _issue_data(path: Path) -> dict:
    return _load_toml(path)
