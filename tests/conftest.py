import pytest

from helpers import ISSUE


@pytest.fixture(scope="session")
def raw_2025_08() -> str:
    return (ISSUE / "raw.md").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def model_2025_08():
    from pipeline.build import make_model
    return make_model(ISSUE)
