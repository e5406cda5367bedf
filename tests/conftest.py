from __future__ import annotations

import os
from pathlib import Path

import pytest

from gointerview.grading.code.toolchain import Toolchain

DATA = Path(__file__).parent / "data"
VALID_BANK = DATA / "banks" / "valid.yaml"


@pytest.fixture
def valid_bank_text() -> str:
    return VALID_BANK.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def _bank_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One bank cache for the whole run: its keys make sharing it safe, and fast."""
    return tmp_path_factory.mktemp("bank-cache")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _bank_cache: Path) -> None:
    """No test reads or writes the developer's real config, data or cache."""
    monkeypatch.setenv("GOINTERVIEW_CACHE_DIR", str(_bank_cache))
    monkeypatch.setenv("GOINTERVIEW_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("GOINTERVIEW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("GOINTERVIEW_BANKS", raising=False)
    monkeypatch.delenv("GOINTERVIEW_LANG", raising=False)


GO_CACHE_DIR = Path(
    os.environ.get("GOINTERVIEW_TEST_DATA")
    or Path(__file__).resolve().parent.parent / ".cache" / "test-data"
)


@pytest.fixture(scope="session")
def go_toolchain() -> Toolchain:
    """Go with prepared caches, kept in .cache/ between runs (prepare() is idempotent)."""
    from gointerview.exercises.catalog import builtin_catalog
    from gointerview.exercises.service import prepare

    toolchain = Toolchain.find(GO_CACHE_DIR)
    prepare(toolchain, builtin_catalog())
    return toolchain
