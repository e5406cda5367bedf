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

Row = tuple[str, set[str], list[dict[str, float]], bool]


def rows(index: m.BankIndex) -> list[Row]:
    """(label, acceptable ids, per bank question the score parts, has an answer) per labelled
    question of the tuning set (composite questions count per part)."""
    expected: dict[str, Any] = YAML(typ="safe").load((TUNING / "expected.yaml").read_text("utf-8"))
    out: list[Row] = []
    for name, spec in expected.items():
        doc = read_document(TUNING / name)
        for item in spec.get("items") or []:
            want = str(item["title_contains"]).lower()
            q = next((q for q in doc.questions if want in (q.title + q.prompt).lower()), None)
            label = item.get("bank_match")
            if q is None or label is None or item.get("parts"):
                continue
            ask, answer = m.query_text(q), m.answer_text(q)
            out.append((str(label), {str(label), *item.get("bank_match_also", [])},
                        features(index, ask, answer), bool(answer.strip())))  # fmt: skip
    return out


def features(index: m.BankIndex, ask: str, answer: str) -> list[dict[str, float]]:
    qa, qb = index._query(ask), index._query(answer) if answer.strip() else {}
    semantic = index.semantic(ask)

    parts = []
    for i, v in enumerate(index._vectors):
        best = {"ap": 0.0, "ab": 0.0, "nb": 0.0}
        for lang in ("zh", "en"):
            ap = m._cosine(qa, v[f"prompt_{lang}"])
            ab = m._cosine(qa, v[f"body_{lang}"])
            nb = m._cosine(qb, v[f"body_{lang}"]) if qb else 0.0
            if ap + 0.35 * ab + 0.4 * nb > best["ap"] + 0.35 * best["ab"] + 0.4 * best["nb"]:
                best = {"ap": ap, "ab": ab, "nb": nb}
        best["se"] = semantic.get(i, 0.0)
        parts.append(best)
    return parts


def accuracy(
    data: list[Row], ids: list[str], w: tuple[float, float, float], at: float, *, semantic: bool
) -> float:
    """Matching accuracy with the score docimport.match computes (z-scores: how far each
    signal of a candidate stands out from the rest of the bank)."""
    import numpy as np

    def z(x: Any) -> Any:
        return (x - x.mean()) / (x.std() or 1.0)

    right = 0
    w_ab, w_nb, w_se = w
    for label, ok, parts, answered in data:
        f = np.array([[p["ap"], p["ab"], p["nb"], p["se"]] for p in parts])
        lexical = (f[:, 0] + w_ab * f[:, 1] + (w_nb * f[:, 2] if answered else 0)) / (
            1 + w_ab + (w_nb if answered else 0)
        )
        if semantic:
            scores = lexical + w_se * f[:, 3] + m.STANDOUT * (z(lexical) + z(f[:, 3]))
        else:
            scores = lexical + m.STANDOUT_LEXICAL * z(lexical)
        best = int(scores.argmax())
        got = ids[best] if scores[best] >= at else None
        right += (got is None) if label == "none" else (got in ok)
    return right / max(1, len(data))


def main() -> int:
    bank = load_bank()
    index = m.BankIndex(bank, encoder=load_encoder())
    ids = [q.id for q in bank.questions]
    data = rows(index)
    print(f"{len(data)} labelled tuning questions; encoder: {m.encoder_name(index)}")
    results = []
    for w_se in (0.0, 0.3, 0.6, 1.0):
        if w_se and index.encoder is None:
            continue
        for ab, nb in itertools.product((0.0, 0.2, 0.35, 0.5, 0.8), (0.0, 0.2, 0.4, 0.7)):
            curve = [
                (at / 100, accuracy(data, ids, (ab, nb, w_se), at / 100, semantic=bool(w_se)))
                for at in range(10, 160, 2)
            ]
            best_at, best = max(curve, key=lambda c: c[1])
            # the width of the plateau within 0.02 of the best: a wide one transfers better
            width = sum(1 for _, a in curve if a >= best - 0.02) * 0.02
            results.append((best, width, w_se, ab, nb, best_at))
    for best, width, w_se, ab, nb, at in sorted(results, reverse=True)[:12]:
        print(f"accuracy {best:.3f} (plateau {width:.2f}) semantic {w_se} ask-body {ab} "
              f"answer-body {nb} threshold {at:.2f}")  # fmt: skip
    for w_se in (0.0,):
        lex = [r for r in results if r[2] == w_se]
        best, width, _, ab, nb, at = max(lex)
        print(f"lexical only: {best:.3f} (plateau {width:.2f}) at ask-body {ab} answer-body {nb} "
              f"threshold {at:.2f}")  # fmt: skip
    shipped = (m.ASK_BODY, m.ANSWER, m.SEMANTIC)
    current = accuracy(data, ids, shipped, m.MATCH_AT, semantic=index.encoder is not None)
    lexical = accuracy(data, ids, (m.ASK_BODY, m.ANSWER, 0.0), m.MATCH_AT_LEXICAL, semantic=False)
    print(f"shipped: {current:.3f} with the encoder, {lexical:.3f} lexical only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
