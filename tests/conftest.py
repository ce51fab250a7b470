import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ISSUE = ROOT / "sources" / "2025-08"


@pytest.fixture(scope="session")
def raw_2025_08() -> str:
    return (ISSUE / "raw.md").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def model_2025_08():
    from pipeline.build import make_model
    return make_model(ISSUE)


def make_issue(tmp_path, raw, issue_toml=None, fixes=None):
    """A throw-away issue folder beside a copy of the magazine constants."""
    src = tmp_path / "sources"
    folder = src / "test-01"
    folder.mkdir(parents=True)
    (src / "magazine.toml").write_bytes((ROOT / "sources" / "magazine.toml").read_bytes())
    (folder / "raw.md").write_bytes(raw.encode("utf-8") if isinstance(raw, str) else raw)
    (folder / "issue.toml").write_text(issue_toml if issue_toml is not None else (
        'id = "test-01"\ntitle = "天堂之芯"\nsubtitle = "Integrated Circuit News"\nlanguage = "zh-CN"\n'
        'date = "2025-09"\npublisher = "测试出版社"\nidentifier = "urn:uuid:00000000-0000-4000-8000-000000000001"\n'),
        encoding="utf-8")
    if fixes is not None:
        (folder / "fixes.toml").write_text(fixes, encoding="utf-8")
    return folder
