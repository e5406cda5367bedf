"""How well `grade doc` finds the bank question a document asks.

Data: the hand-labelled documents in tests/data/docs/ — the tuning set the thresholds were
chosen on — and tests/data/docs/heldout/, written separately and never tuned on
(expected.yaml gives, per question,
`bank_match: <id>` when a bank question asks the same thing, `bank_match: none` when the
bank has no such question, nothing when unsure — those are not scored; `bank_match_also`
lists equally right ids when the bank holds near-duplicates).

Prints, per similarity threshold: matched correctly / wrongly matched / missed for the
questions the bank holds, and false matches for the ones it does not; then, at the shipped
threshold, how often the labelled question is among the near-ties graded (the "bundle"). Run:

    .venv/bin/python benchmarks/doc_match.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from ruamel.yaml import YAML

from gointerview.bank import load_bank
from gointerview.docimport import match as m
from gointerview.docimport.parse import parse_markdown

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "data" / "docs"
SAMPLES = ROOT.parent / "shared" / "samples"


Labelled = list[tuple[str, str, set[str]]]


def labelled(folder: Path) -> Labelled:
    """(document question text, label, acceptable ids) for every labelled question."""
    expected = YAML(typ="safe").load((folder / "expected.yaml").read_text(encoding="utf-8"))
    out = []
    for name, spec in expected.items():
        path = SAMPLES / name.split(":", 1)[1] if name.startswith("sample:") else folder / name
        if not path.is_file():
            continue
        doc = parse_markdown(path.read_text(encoding="utf-8"), str(path))
        for item, question in zip(spec["items"], doc.questions, strict=False):
            label = item.get("bank_match")
            if label is None:
                continue
            ok = {label, *item.get("bank_match_also", [])}
            out.append((m.query_text(question), label, ok))
    return out


def report(title: str, index: m.BankIndex, questions: Labelled) -> None:
    data = [(index.match(text), label, ok) for text, label, ok in questions]
    held = sum(1 for _, label, _ in data if label != "none")
    print(f"\n{title}: {len(data)} labelled questions, {held} in the bank, {len(data) - held} not")
    print("threshold  right  wrong  missed  false-match  accuracy")
    for at in (0.2, 0.25, 0.28, 0.3, 0.32, 0.35, 0.4):
        right = wrong = missed = false = 0
        for result, label, ok in data:
            got = result.matched_at(at)
            if label == "none":
                false += got is not None
            elif got is None:
                missed += 1
            elif got.id in ok:
                right += 1
            else:
                wrong += 1
        accuracy = (right + (len(data) - held - false)) / max(1, len(data))
        mark = " <- shipped" if at == m.MATCH_AT else ""
        print(f"{at:9.2f}  {right:5d}  {wrong:5d}  {missed:6d}  {false:11d}  {accuracy:8.2f}{mark}")
    in_bundle = sum(
        1
        for result, label, ok in data
        if label != "none" and {c.question.id for c in result.bundle} & ok
    )
    sizes = [len(result.bundle) for result, label, _ in data if result.bundle]
    print(
        f"at {m.MATCH_AT}: the right question is among those graded for {in_bundle}/{held}; "
        f"{sum(sizes) / max(1, len(sizes)):.1f} bank questions graded per matched question"
    )


def main() -> int:
    index = m.BankIndex(load_bank())
    report("tuning set (tests/data/docs, thresholds chosen here)", index, labelled(DOCS))
    heldout = DOCS / "heldout"
    if (heldout / "expected.yaml").is_file():
        report("held-out set (tests/data/docs/heldout, never tuned on)", index, labelled(heldout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
