"""Choose the bank-matching weights and thresholds of docimport.match on the TUNING documents.

Reads the expected.yaml of tests/data/docs/ and of every tuning*/ folder (never a heldout*/
one), computes the signals of the score for every labelled question against every bank
question once, then tries a grid of weights and thresholds with the sentence encoder and
prints the best settings by matching accuracy (an off-bank question left unmatched counts as
right), per tuning folder, next to the shipped ones. Run:

    .venv/bin/python benchmarks/doc_calibrate.py [--top N]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from ruamel.yaml import YAML

from doc_match import as_written
from gointerview.bank import load_bank
from gointerview.docimport import match as m
from gointerview.docimport.encoder import load_encoder
from gointerview.docimport.parse import DocQuestion, read_document

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "data" / "docs"
LANGS = ("zh", "en")


@dataclass
class Row:
    folder: str
    label: str
    ok: set[str]
    answered: bool
    # per bank question: prompt, best asked_as, ask-vs-body, answer-vs-body cosines per
    # language (shape (n, 2, 4)), and the encoder's prompt and asked_as cosines ((n, 2))
    lexical: Any
    semantic: Any


def tuning_folders() -> list[Path]:
    return [DOCS, *sorted(p for p in DOCS.glob("tuning?*/") if (p / "expected.yaml").is_file())]


def labelled_questions() -> Iterator[tuple[str, str, set[str], DocQuestion]]:
    """(folder, label, the ids that are right, the parsed question) for every question of the
    tuning sets labelled with a bank match (composite questions are left out: their parts are
    matched with the same score)."""
    for folder in tuning_folders():
        spec: dict[str, Any] = YAML(typ="safe").load((folder / "expected.yaml").read_text("utf-8"))
        for name, doc_spec in spec.items():
            doc = read_document(folder / name)
            for item in doc_spec.get("items") or []:
                want = str(item["title_contains"]).lower()
                q = next((q for q in doc.questions if want in as_written(q)), None)
                label = item.get("bank_match")
                if q is None or label is None or item.get("parts"):
                    continue
                ok = {str(label), *(str(x) for x in item.get("bank_match_also") or [])}
                yield folder.name, str(label), ok, q


def rows(index: m.BankIndex) -> list[Row]:
    """One row per labelled question of the tuning sets."""
    out: list[Row] = []
    for folder, label, ok, q in labelled_questions():
        ask, answer = m.query_text(q), m.answer_text(q)
        lexical, semantic = signals(index, ask, answer)
        out.append(Row(folder, label, ok, bool(answer.strip()), lexical, semantic))
    return out


def signals(index: m.BankIndex, ask: str, answer: str) -> tuple[Any, Any]:
    qa, qb = index._query(ask), index._query(answer) if answer.strip() else {}
    lexical = np.zeros((len(index._vectors), 2, 4))
    for i, v in enumerate(index._vectors):
        for j, lang in enumerate(LANGS):
            asked = [m._cosine(qa, w) for k, w in v.items() if k.startswith(f"asked_{lang}_")]
            lexical[i, j] = (
                m._cosine(qa, v[f"prompt_{lang}"]),
                max(asked, default=0.0),
                m._cosine(qa, v[f"body_{lang}"]),
                m._cosine(qb, v[f"body_{lang}"]) if qb else 0.0,
            )
    semantic = np.zeros((len(index._vectors), 3))
    if index.encoder is not None and ask.strip():
        semantic[:, 0] = index.encoder.similarities(ask, index._prompt_texts)
        semantic[:, 1] = index.encoder.similarities(ask, index._asked_texts)
        if answer.strip():
            refs = [[t[:600] for t in m._texts([q.reference_answer])] for q in index.questions]
            semantic[:, 2] = index.encoder.similarities(answer[:600], refs)
    return lexical, semantic


@dataclass(frozen=True)
class Weights:
    ask_body: float
    answer: float
    semantic: float
    asked: float
    asked_semantic: float
    standout: float
    answer_semantic: float = 0.0


def picks(data: list[Row], w: Weights) -> tuple[Any, Any]:
    """Each row's best bank question and its score, as docimport.match computes them."""
    best_i, best_s = np.zeros(len(data), dtype=int), np.zeros(len(data))
    for r, row in enumerate(data):
        f = row.lexical
        prompt = np.maximum(f[:, :, 0], w.asked * f[:, :, 1])
        answer = w.answer if row.answered else 0.0
        lexical = ((m.ASK_PROMPT * prompt + w.ask_body * f[:, :, 2] + answer * f[:, :, 3])
                   / (m.ASK_PROMPT + w.ask_body + answer)).max(axis=1)  # fmt: skip
        semantic = np.maximum(row.semantic[:, 0], w.asked_semantic * row.semantic[:, 1])
        if row.answered:
            semantic = semantic + w.answer_semantic * row.semantic[:, 2]
        scores = lexical + w.semantic * semantic + w.standout * (_z(lexical) + _z(semantic))
        best_i[r] = int(scores.argmax())
        best_s[r] = scores[best_i[r]]
    return best_i, best_s


def accuracy(data: list[Row], ids: list[str], chosen: Any, score: Any, at: float) -> Any:
    right = []
    for row, i, s in zip(data, chosen, score, strict=True):
        got = ids[i] if s >= at else None
        right.append((got is None) if row.label == "none" else (got in row.ok))
    return np.array(right)


def _z(x: Any) -> Any:
    return (x - x.mean()) / (x.std() or 1.0)


def shipped() -> Weights:
    return Weights(m.ASK_BODY, m.ANSWER, m.SEMANTIC, m.ASKED, m.ASKED_SEMANTIC, m.STANDOUT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    bank = load_bank()
    index = m.BankIndex(bank, encoder=load_encoder())
    if index.encoder is None:
        print("the sentence encoder is not installed (`semantic` extra): nothing to calibrate")
        return 1
    ids = [q.id for q in bank.questions]
    data = rows(index)
    folders = sorted({r.folder for r in data})
    print(f"{len(data)} labelled tuning questions ({', '.join(folders)}); {m.encoder_name(index)}")
    thresholds = [t / 100 for t in range(60, 260, 2)]
    results = []
    grid = itertools.product(
        (0.35, 0.5, 0.8), (1.0, 1.4), (0.3, 0.4, 0.6), (0.7, 0.8, 0.9), (0.7, 0.8, 0.9),
        (0.06, 0.1, 0.15, 0.2), (0.0,),
    )  # fmt: skip
    for values in grid:
        w = Weights(*values)
        chosen, score = picks(data, w)
        curve = [(at, accuracy(data, ids, chosen, score, at).mean()) for at in thresholds]
        best_at, best = max(curve, key=lambda c: c[1])
        # the width of the plateau within 0.01 of the best: a wide one transfers better
        width = sum(1 for _, a in curve if a >= best - 0.01) * 0.02
        results.append((round(best, 4), width, w, best_at))
    results.sort(key=lambda r: (r[0], r[1]), reverse=True)

    def per_folder(w: Weights, at: float) -> str:
        right = accuracy(data, ids, *picks(data, w), at)
        return "  ".join(f"{f} {right[[r.folder == f for r in data]].mean():.3f}" for f in folders)

    for best, width, w, at in results[: args.top]:
        print(f"{best:.3f} (plateau {width:.2f}) at {at:.2f} {w}")
    best, width, w, at = results[0]
    print(f"best, per folder: {per_folder(w, at)}")
    print(f"shipped {shipped()} at {m.MATCH_AT}: "
          f"{accuracy(data, ids, *picks(data, shipped()), m.MATCH_AT).mean():.3f}; "
          f"per folder: {per_folder(shipped(), m.MATCH_AT)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
