"""Load an issue folder: raw.md, issue.toml, the magazine's constants, fixes.toml."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .model import Meta

REQUIRED = ["id", "title", "subtitle", "language", "date", "publisher", "identifier"]


@dataclass
class Source:
    folder: Path
    raw_path: Path
    raw: bytes
    meta: Meta
    magazine: dict
    fixes: dict = field(default_factory=dict)


def _load_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(path, 1, "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as err:
        m = re.search(r"line (\d+)", str(err))
        raise InputError(path, int(m.group(1)) if m else 1, f"invalid TOML: {err}") from None


def _line_of(path: Path, key: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return n
    return 1


def load_source(folder: Path) -> Source:
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, 0, "no such issue folder")
    raw_path = folder / "raw.md"
    if not raw_path.is_file():
        raise InputError(raw_path, 0, "missing: the extracted text of the issue")
    issue_path = folder / "issue.toml"
    if not issue_path.is_file():
        raise InputError(issue_path, 0, "missing: the issue's metadata (id, title, date, …)")
    data = _load_toml(issue_path)
    for key in REQUIRED:
        if not isinstance(data.get(key), str) or not data.get(key).strip():
            raise InputError(issue_path, _line_of(issue_path, key) if key in data else 1,
                             f"required field '{key}' is missing or not a text")
    meta = Meta(**{k: data[k] for k in REQUIRED}, number=str(data.get("number", "")),
                extra={k: v for k, v in data.items() if k not in REQUIRED and k != "number"})
    magazine_path = folder.parent / "magazine.toml"
    magazine = _load_toml(magazine_path) if magazine_path.is_file() else {}
    fixes_path = folder / "fixes.toml"
    fixes = _load_toml(fixes_path) if fixes_path.is_file() else {}
    return Source(folder, raw_path, raw_path.read_bytes(), meta, magazine, fixes)
