"""The question bank: schema, loading with line numbers, validation, queries."""

from gointerview.bank.bank import Bank, check_bank, load_bank
from gointerview.bank.schema import Question

__all__ = ["Bank", "Question", "check_bank", "load_bank"]
