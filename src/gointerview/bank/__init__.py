"""The question bank: schema, loading with line numbers, validation, queries.

The names below load on first use (PEP 562), so that importing one submodule — the schema's
small types, say — does not load the whole bank machinery with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gointerview.bank.bank import Bank, check_bank, load_bank
    from gointerview.bank.schema import Question

__all__ = ["Bank", "Question", "check_bank", "load_bank"]
_HOME = {
    "Bank": "gointerview.bank.bank",
    "check_bank": "gointerview.bank.bank",
    "load_bank": "gointerview.bank.bank",
    "Question": "gointerview.bank.schema",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(_HOME[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
