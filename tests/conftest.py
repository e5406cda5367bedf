from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
VALID_BANK = DATA / "banks" / "valid.yaml"


@pytest.fixture
def valid_bank_text() -> str:
    return VALID_BANK.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the developer's real config or data."""
    monkeypatch.setenv("GOINTERVIEW_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("GOINTERVIEW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("GOINTERVIEW_BANKS", raising=False)
    monkeypatch.delenv("GOINTERVIEW_LANG", raising=False)
