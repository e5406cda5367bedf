"""Choose the bank-matching weights and thresholds of docimport.match on the TUNING documents.

Reads tests/data/docs/expected.yaml only (never a heldout*/ folder), computes the parts of the
score for every labelled question and every bank question once, then tries a grid of weights
and thresholds, with the sentence encoder and without it, and prints the best settings by
matching accuracy (an off-bank question left unmatched counts as right). Run:

    .venv/bin/python benchmarks/doc_calibrate.py
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from gointerview.bank import load_bank
from gointerview.docimport import match as m
from gointerview.docimport.encoder import load_encoder
from gointerview.docimport.parse import read_document

ROOT = Path(__file__).resolve().parent.parent
TUNING = ROOT / "tests" / "data" / "docs"

Row = tuple[str, set[str], list[dict[str, float]]]


def rows(index: m.BankIndex) -> list[Row]:
    """(label, acceptable ids, per bank question the score parts) per labelled question."""
    expected: dict[str, Any] = YAML(typ="safe").load((TUNING / "expected.yaml").read_text("utf-8"))
    out: list[Row] = []
    qa_cache = index._vectors  # the same vectors match.py uses
    for name, spec in expected.items():
        doc = read_document(TUNING / name)
        items = spec.get("items") or []
        questions = doc.questions
        for item in items:
            want = str(item["title_contains"]).lower()
            q = next((q for q in questions if want in (q.title + q.prompt).lower()), None)
            label = item.get("bank_match")
            if q is None or label is None or item.get("parts"):
                continue
            ask, answer = m.query_text(q), m.answer_text(q)
            qa, qb = index._query(ask), index._query(answer) if answer.strip() else {}
            semantic = index.semantic(ask)
            parts = []
            for i, v in enumerate(qa_cache):
                best = {"ap": 0.0, "ab": 0.0, "nb": 0.0}
                for lang in ("zh", "en"):
                    ap = m._cosine(qa, v[f"prompt_{lang}"])
                    ab = m._cosine(qa, v[f"body_{lang}"])
                    nb = m._cosine(qb, v[f"body_{lang}"]) if qb else 0.0
                    if ap + 0.3 * ab + 0.2 * nb > best["ap"] + 0.3 * best["ab"] + 0.2 * best["nb"]:
                        best = {"ap": ap, "ab": ab, "nb": nb}
                best["se"] = semantic.get(i, 0.0)
                parts.append(best)
            out.append((str(label), {str(label), *item.get("bank_match_also", [])}, parts))
    return out


def accuracy(
    data: list[Row], ids: list[str], w_ab: float, w_nb: float, w_se: float, at: float
) -> float:
    right = 0
    for label, ok, parts in data:
        scores = [p["ap"] + w_ab * p["ab"] + w_nb * p["nb"] + w_se * p["se"] for p in parts]
        best = max(range(len(scores)), key=scores.__getitem__)
        got = ids[best] if scores[best] >= at else None
        right += (got is None) if label == "none" else (got in ok)
    return right / max(1, len(data))


def main() -> int:
    bank = load_bank()
    index = m.BankIndex(bank, encoder=load_encoder())
    ids = [q.id for q in bank.questions]
    data = rows(index)
    print(f"{len(data)} labelled tuning questions; encoder: {m.encoder_name(index)}")
    grid_ab, grid_nb = (0.0, 0.2, 0.35, 0.5, 0.8), (0.0, 0.1, 0.25, 0.4)
    for w_se, thresholds in (
        (0.0, [x / 100 for x in range(20, 80, 2)]),
        *((w, [x / 100 for x in range(30, 130, 2)]) for w in (0.4, 0.6, 0.8, 1.0, 1.3)),
    ):
        if w_se and index.encoder is None:
            continue
        best = max(
            (
                (accuracy(data, ids, ab, nb, w_se, at), ab, nb, at)
                for ab, nb, at in itertools.product(grid_ab, grid_nb, thresholds)
            ),
            key=lambda r: r[0],
        )
        print(
            f"semantic {w_se:.1f}: accuracy {best[0]:.3f} at ask-body {best[1]}, "
            f"answer-body {best[2]}, threshold {best[3]:.2f}"
        )
    current = accuracy(data, ids, m.ASK_BODY, m.ANSWER, m.SEMANTIC, m.MATCH_AT)
    lexical = accuracy(data, ids, m.ASK_BODY, m.ANSWER, 0.0, m.MATCH_AT_LEXICAL)
    print(f"shipped: {current:.3f} with the encoder, {lexical:.3f} lexical only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
