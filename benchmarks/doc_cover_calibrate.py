"""Choose how docimport.match weighs a question's text by the grader (COVERED_AT,
COVERED_SHARE, SURE_AT, COVER_RERANK), and the score a question without text needs
(WORDING_AT), on the TUNING documents, never a heldout*/ folder.

For every labelled question of tests/data/docs/ and its tuning*/ folders (composite questions
left out) it takes the encoder-reranked candidates as docimport.match ranks them, and for a
question that brings text (its answer, else the document's reference) the share of each close
candidate's rubric that text covers. It then tries a grid of the four settings and prints the
best by matching accuracy (an off-bank question left unmatched counts as right), the shipped
settings, and a leave-one-folder-out figure: the settings chosen on all folders but one,
scored on that one. The questions without text are scored apart, on WORDING_AT alone (the
other four settings never touch them). Run:

    .venv/bin/python benchmarks/doc_cover_calibrate.py
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from doc_calibrate import labelled_questions
from gointerview.bank import load_bank
from gointerview.docimport import match as m


@dataclass
class Row:
    folder: str
    label: str
    ok: set[str]
    text: bool
    # the best candidates: (id, score, share of its rubric the text covers; 0 without text)
    candidates: list[tuple[str, float, float]]


def rows(index: m.BankIndex) -> list[Row]:
    out: list[Row] = []
    for folder, label, ok, q in labelled_questions():
        ask, text = m.query_text(q), m.answer_text(q)
        found = [
            (c.question.id, c.similarity, m.rubric_share(c.question, text) if text else 0.0)
            for c in index.ranked(ask, text)[: m.BUNDLE_MAX]
        ]
        out.append(Row(folder, label, ok, bool(text.strip()), found))
    return out


Settings = tuple[float, float, float, float]  # covered_at, sure_at, covered_share, rerank


def chosen(row: Row, s: Settings) -> str | None:
    if not row.candidates:
        return None
    covered_at, sure_at, share, rerank = s
    best = row.candidates[0]
    if not row.text:
        return best[0] if best[1] >= m.WORDING_AT else None
    close = [c for c in row.candidates if c[1] >= best[1] - rerank]
    pick = max(close, key=lambda c: c[2])
    taken = pick[1] >= sure_at or (pick[1] >= covered_at and pick[2] >= share)
    return pick[0] if taken else None


def right(data: list[Row], s: Settings) -> int:
    return sum(
        (got is None) if r.label == "none" else (got in r.ok)
        for r in data
        for got in [chosen(r, s)]
    )


def main() -> int:
    index = m.index_for(load_bank())
    if index.encoder is None:
        print("the sentence encoder is not installed: these settings apply only with it")
        return 1
    data = rows(index)
    grid: list[Settings] = [
        (a / 100, b, c / 100, r)
        for a, b, c, r in itertools.product(
            range(80, 145, 5), (1.5, 1.6, 1.8, 99.0), range(10, 65, 5), (0.0, 0.05, 0.1, 0.2)
        )
    ]
    shipped: Settings = (m.COVERED_AT, m.SURE_AT, m.COVERED_SHARE, m.COVER_RERANK)
    unweighed: Settings = (m.MATCH_AT, m.MATCH_AT, 0.0, 0.0)
    wording(data)
    n = len(data)
    print(f"{n} labelled questions, {sum(r.text for r in data)} with text to weigh")
    print(f"score alone (MATCH_AT {m.MATCH_AT}): {right(data, unweighed)}/{n}")
    print(f"shipped {shipped}: {right(data, shipped)}/{n}")
    ranked = sorted(grid, key=lambda s: -right(data, s))
    for s in ranked[:5]:
        print(f"  {s}: {right(data, s)}/{n}")
    folders = sorted({r.folder for r in data})
    total = 0
    for folder in folders:
        train = [r for r in data if r.folder != folder]
        test = [r for r in data if r.folder == folder]
        best = max(grid, key=lambda s: right(train, s))
        total += right(test, best)
        print(f"  leave out {folder:8} {right(test, best)}/{len(test)} with {best}")
    print(f"leave-one-folder-out: {total}/{n} (score alone {right(data, unweighed)}/{n})")
    return 0


def wording(data: list[Row]) -> None:
    """WORDING_AT: the threshold for the questions that bring no text, chosen on them alone."""
    bare = [r for r in data if not r.text]
    grid = [t / 100 for t in range(100, 162, 2)]

    def right_at(rows: list[Row], at: float) -> int:
        taken = [r.candidates[0][0] if r.candidates and r.candidates[0][1] >= at else None
                 for r in rows]  # fmt: skip
        return sum((got is None) if r.label == "none" else (got in r.ok)
                   for r, got in zip(rows, taken, strict=True))  # fmt: skip

    print(f"{len(bare)} questions without text (WORDING_AT decides):")
    print("  " + "  ".join(f"{at:.2f} {right_at(bare, at)}" for at in grid[::3]))
    print(f"  shipped WORDING_AT {m.WORDING_AT}: {right_at(bare, m.WORDING_AT)}; "
          f"MATCH_AT {m.MATCH_AT}: {right_at(bare, m.MATCH_AT)}")  # fmt: skip
    total = 0
    for folder in sorted({r.folder for r in bare}):
        train = [r for r in bare if r.folder != folder]
        test = [r for r in bare if r.folder == folder]
        best = max(grid, key=lambda at: right_at(train, at))
        total += right_at(test, best)
    print(f"  leave-one-folder-out: {total}/{len(bare)}")


if __name__ == "__main__":
    raise SystemExit(main())
