"""The checked bank is cached between commands, and a changed bank file is never served
stale from the cache."""

from __future__ import annotations

import os
from pathlib import Path

from gointerview.bank.bank import check_bank


def test_a_changed_user_bank_is_read_again(tmp_path: Path, valid_bank_text: str) -> None:
    bank_file = tmp_path / "mine.yaml"
    bank_file.write_text(valid_bank_text, encoding="utf-8")
    first, _ = check_bank(extra=[bank_file])
    again, _ = check_bank(extra=[bank_file])
    assert [q.id for q in again.questions] == [q.id for q in first.questions]
    cached = list((Path(os.environ["GOINTERVIEW_CACHE_DIR"]) / "bank").glob("*.pickle"))
    assert cached, "the result was cached"
    changed = valid_bank_text.replace("id: ", "id: changed-", 1)
    bank_file.write_text(changed, encoding="utf-8")
    after, _ = check_bank(extra=[bank_file])
    assert {q.id for q in after.questions} != {q.id for q in first.questions}
    assert any(q.id.startswith("changed-") for q in after.questions)


def test_an_unreadable_cache_is_ignored(tmp_path: Path) -> None:
    folder = Path(os.environ["GOINTERVIEW_CACHE_DIR"]) / "bank"
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*.pickle"):
        path.write_bytes(b"not a pickle")
    bank, _ = check_bank()
    assert len(bank) > 200
