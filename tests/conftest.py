import pytest

from helpers import ISSUE


@pytest.fixture(scope="session")
def raw_2025_08() -> str:
    return (ISSUE / "raw.md").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def model_2025_08():
    from pipeline.build import make_model
    return make_model(ISSUE)


SMALL = ("# 天堂之芯\n\n# 目录\n\n### • 芯动态\n\n- ▲甲公司发布新品 — 01\n\n"
         "## 甲公司发布新品\n\n甲公司今天发布了新品，性能提升一倍。\n\n（来源：芯东西）\n")


@pytest.fixture(scope="session")
def small_editions(tmp_path_factory):
    """All three editions and the report of a one-article issue (test-01), built once (~3 s)
    in a subprocess: a PDF laid out in this process would leave WeasyPrint's state changed for
    the layout tests.  Copy them before changing them."""
    import subprocess
    import sys

    from helpers import ROOT, make_issue
    tmp = tmp_path_factory.mktemp("small")
    out = tmp / "editions"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(make_issue(tmp, SMALL)),
                           "--out", str(out), "--quiet"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return out
