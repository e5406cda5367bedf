"""How well `grade doc` / `bank import` read a document and find the bank question it asks.

Data: the hand-labelled documents of tests/data/docs/ and its tuning*/ folders (the TUNING
sets: the parser and the thresholds were tuned on them; tuning2/ was held-out once and is
tuning data since; tuning3/ holds quizzes with unnumbered answer keys in varied shapes) and
every held-out folder tests/data/docs/heldout*/ (written separately, never tuned on), each
reported on its own and per `shape:`. Each folder's
expected.yaml gives, per document, `questions` / `answered` / `unanswered`, optional `shape`,
`has_template` and `key_pairs`, and per question (in document order):

- `title_contains` (finds the question), `prompt_contains`, `answered`, `answer_contains`,
  `answer_not_contains`, `reference_contains` (null: no reference), `reference_not_contains`;
- `bank_match`: the bank id it asks, or `none` when the bank has no such question
  (`bank_match_also`: equally right ids); left out when the labeller was unsure;
- `parts`: a composite question's parts, each a bank id / `none` or {bank_match, ...};
- `choice`: {options: N or [letters], correct: "B" or [letters]}: a multiple-choice question;
- `paraphrase` / `cross_language`: true when the question is worded as a situation or task /
  matches a bank prompt written in the other language (matching is reported for these apart).

Figures per set: documents whose question count is exact / within ±10 %, the share of the
labelled questions found, matching accuracy (an off-bank question left unmatched counts as
right; composite parts count one each), answer-key pairing (the questions of documents with
`key_pairs` whose reference holds the labelled words), the text checks, choice questions read
with their options and correct letters, and templates found. Run:

    .venv/bin/python benchmarks/doc_match.py [--json] [--verbose] [--only tuning]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from gointerview.bank import load_bank
from gointerview.docimport import match as m
from gointerview.docimport.lines import heading_number
from gointerview.docimport.parse import DocQuestion, ParsedDoc, read_document

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "data" / "docs"


@dataclass
class Tally:
    """Counts for one set of documents (or one shape inside it)."""

    documents: int = 0
    exact: int = 0
    within10: int = 0
    expected_questions: int = 0
    found: int = 0
    answered_right: int = 0
    matching: list[bool] = field(default_factory=list)
    # matching decisions of items labelled `paraphrase: true` / `cross_language: true`, and of
    # off-bank items (label none: right when left unmatched)
    paraphrase: list[bool] = field(default_factory=list)
    cross_language: list[bool] = field(default_factory=list)
    off_bank: list[bool] = field(default_factory=list)
    key_pairs: list[bool] = field(default_factory=list)
    parts: list[bool] = field(default_factory=list)
    choice: list[bool] = field(default_factory=list)
    text_checks: list[bool] = field(default_factory=list)
    templates: list[bool] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)

    def summary(self) -> dict[str, Any]:
        def ratio(flags: list[bool]) -> dict[str, Any]:
            return {"right": sum(flags), "of": len(flags), "share": _share(sum(flags), len(flags))}

        return {
            "documents": self.documents,
            "exact_count": {
                "right": self.exact,
                "of": self.documents,
                "share": _share(self.exact, self.documents),
            },
            "count_within_10pct": {
                "right": self.within10,
                "of": self.documents,
                "share": _share(self.within10, self.documents),
            },
            "questions_found": {
                "right": self.found,
                "of": self.expected_questions,
                "share": _share(self.found, self.expected_questions),
            },
            "answered_right": {
                "right": self.answered_right,
                "of": self.found,
                "share": _share(self.answered_right, self.found),
            },
            "matching": ratio(self.matching),
            "matching_paraphrase": ratio(self.paraphrase),
            "matching_cross_language": ratio(self.cross_language),
            "matching_off_bank": ratio(self.off_bank),
            "composite_parts": ratio(self.parts),
            "key_pairing": ratio(self.key_pairs),
            "choice_questions": ratio(self.choice),
            "text_checks": ratio(self.text_checks),
            "templates": ratio(self.templates),
        }


def _share(right: int, of: int) -> float | None:
    return round(right / of, 3) if of else None


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _letters(value: Any) -> list[str]:
    if isinstance(value, int):
        return [chr(ord("A") + i) for i in range(value)]
    out: list[str] = []
    for v in _strings(value):
        out.extend(c.upper() for c in v if c.isalpha())
    return sorted(set(out))


def as_written(q: DocQuestion) -> str:
    """The question's title and prompt, with the number its heading carried ("1. …", "Q5. …"):
    a label may quote the heading as written."""
    numbered = [f"{q.number}. {q.title}", f"q{q.number}. {q.title}"] if q.number else []
    return "\n".join([q.title, q.prompt, *numbered]).lower()


def _align(items: list[dict[str, Any]], questions: list[DocQuestion]) -> list[DocQuestion | None]:
    """Each labelled question's parsed question: the next one, in order, whose title or prompt
    holds the labelled words (so one missed or extra question does not shift the rest)."""
    out: list[DocQuestion | None] = []
    at = 0
    for item in items:
        # a label may quote the heading with its marks and number ("### 1. 放号", "Q1：求购单…")
        want = str(item.get("title_contains", "")).lower().lstrip("#").strip()
        numbered = heading_number(want)
        if numbered is not None and numbered[1]:
            want = numbered[1]
        hit = next(
            (i for i in range(at, len(questions)) if want in as_written(questions[i])),
            None,
        )
        out.append(questions[hit] if hit is not None else None)
        if hit is not None:
            at = hit + 1
    return out


def _ok_ids(spec: Any) -> tuple[str | None, set[str]]:
    if isinstance(spec, dict):
        label = spec.get("bank_match")
        return (str(label) if label else None), {str(label), *_strings(spec.get("bank_match_also"))}
    return (str(spec) if spec else None), {str(spec)}


def _match_right(label: str, ok: set[str], chosen: str | None) -> bool:
    return chosen is None if label == "none" else chosen in ok


def score_document(
    path: Path, spec: dict[str, Any], index: m.BankIndex
) -> tuple[Tally, ParsedDoc | None]:
    tally = Tally(documents=1)
    try:
        doc = read_document(path)
    except Exception as exc:  # a benchmark reports, it does not stop
        tally.failures.append(f"{path.name}: {exc}")
        return tally, None
    want, got = int(spec.get("questions", 0)), len(doc.questions)
    tally.exact = int(want == got)
    tally.within10 = int(abs(got - want) <= 0.1 * want if want else got == 0)
    if not tally.exact:
        tally.failures.append(f"{path.name}: {got} questions, expected {want}")
    items: list[dict[str, Any]] = spec.get("items") or []
    tally.expected_questions = len(items)
    if "has_template" in spec:
        found = doc.template is not None
        tally.templates.append(found == bool(spec["has_template"]))
    keyed = "key_pairs" in spec
    for item, question in zip(items, _align(items, doc.questions), strict=True):
        where = f"{path.name}: {item.get('title_contains')!r}"
        if question is None:
            tally.failures.append(f"{where}: not found")
            continue
        tally.found += 1
        tally.answered_right += question.answered is bool(item.get("answered"))
        _text_checks(item, question, tally, where)
        if keyed and item.get("reference_contains"):
            paired = bool(question.reference) and all(
                w in (question.reference or "") for w in _strings(item["reference_contains"])
            )
            tally.key_pairs.append(paired)
        if "choice" in item:
            tally.choice.append(_choice_right(item["choice"], question))
        parts = item.get("parts")
        decisions = m.match_question(index, question)
        if parts:
            for j, part in enumerate(parts):
                label, ok = _ok_ids(part)
                if label is None:
                    continue
                chosen = decisions[j].chosen_id if j < len(decisions) else None
                right = _match_right(label, ok, chosen) and len(decisions) == len(parts)
                tally.parts.append(right)
                if not right:
                    tally.failures.append(f"{where} part {j + 1}: matched {chosen}, want {label}")
        label, ok = _ok_ids(item)
        if label is not None and not parts:
            chosen = decisions[0].chosen_id if decisions else None
            right = _match_right(label, ok, chosen)
            tally.matching.append(right)
            for trait, flags in (
                ("paraphrase", tally.paraphrase),
                ("cross_language", tally.cross_language),
            ):
                if item.get(trait):
                    flags.append(right)
            if label == "none":
                tally.off_bank.append(right)
            if not right:
                tally.failures.append(f"{where}: matched {chosen}, want {label}")
    tally.matching.extend(tally.parts)  # every part is a matching decision too
    return tally, doc


def _text_checks(item: dict[str, Any], q: DocQuestion, tally: Tally, where: str) -> None:
    checks: list[tuple[str, bool]] = []
    for w in _strings(item.get("prompt_contains")):
        checks.append((f"prompt holds {w!r}", w in q.prompt))
    for w in _strings(item.get("answer_contains")):
        checks.append((f"answer holds {w!r}", q.answer is not None and w in q.answer))
    for w in _strings(item.get("answer_not_contains")):
        checks.append((f"answer free of {w!r}", w not in (q.answer or "")))
    if "reference_contains" in item:
        if item["reference_contains"] is None:
            checks.append(("no reference", q.reference is None))
        for w in _strings(item["reference_contains"]):
            checks.append((f"reference holds {w!r}", w in (q.reference or "")))
    for w in _strings(item.get("reference_not_contains")):
        checks.append((f"reference free of {w!r}", w not in (q.reference or "")))
    for what, ok in checks:
        tally.text_checks.append(ok)
        if not ok:
            tally.failures.append(f"{where}: {what}")


def _choice_right(spec: Any, q: DocQuestion) -> bool:
    if q.choice is None:
        return False
    if not isinstance(spec, dict):
        return True
    options = spec.get("options")
    if options is not None and sorted(q.choice.options) != _letters(options):
        return False
    correct = spec.get("correct")
    return correct is None or sorted(q.choice.correct) == _letters(correct)


def score_folder(folder: Path, index: m.BankIndex) -> tuple[Tally, dict[str, Tally]]:
    expected = YAML(typ="safe").load((folder / "expected.yaml").read_text(encoding="utf-8"))
    total, shapes = Tally(), defaultdict[str, Tally](Tally)
    for name, spec in (expected or {}).items():
        path = folder / str(name)
        if not path.is_file():
            total.failures.append(f"{name}: listed in expected.yaml but missing")
            continue
        tally, _ = score_document(path, spec, index)
        total.add(tally)
        shapes[str(spec.get("shape", "-"))].add(tally)
    return total, dict(shapes)


def _line(name: str, s: dict[str, Any]) -> str:
    def cell(key: str) -> str:
        v = s[key]
        return f"{v['right']}/{v['of']}" if v["of"] else "–"

    return (
        f"{name:22} {s['documents']:4d} {cell('exact_count'):>7} {cell('count_within_10pct'):>7} "
        f"{cell('questions_found'):>8} {cell('matching'):>8} {cell('composite_parts'):>6} "
        f"{cell('key_pairing'):>7} {cell('choice_questions'):>6} {cell('text_checks'):>8} "
        f"{cell('templates'):>5}"
    )


HEADER = (
    f"{'':22} {'docs':>4} {'exact':>7} {'±10%':>7} {'found':>8} {'matching':>8} {'parts':>6} "
    f"{'keypair':>7} {'choice':>6} {'text':>8} {'tmpl':>5}"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument(
        "--only", metavar="PREFIX", help="only the folders whose name starts with PREFIX (tuning)"
    )
    args = parser.parse_args(argv)
    index = m.index_for(load_bank())
    folders = [("tuning", DOCS)] + [
        (p.name, p)
        for pattern in ("tuning?*", "heldout*")
        for p in sorted(DOCS.glob(pattern))
        if (p / "expected.yaml").is_file()
    ]
    if args.only:
        folders = [(name, p) for name, p in folders if name.startswith(args.only)]
    results: dict[str, Any] = {"encoder": m.encoder_name(index)}
    for name, folder in folders:
        total, shapes = score_folder(folder, index)
        results[name] = {
            "total": total.summary(),
            "shapes": {k: v.summary() for k, v in sorted(shapes.items())},
            "failures": total.failures,
        }
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(f"reranker: {results['encoder']}")
    for name, _ in folders:
        r = results[name]
        tuned = name.startswith("tuning")
        title = f"{name} set (tuned on)" if tuned else f"{name} (never tuned on)"
        print(f"\n{title}\n{HEADER}")
        print(_line("all", r["total"]))
        for shape, s in r["shapes"].items():
            print(_line(f"  {shape}", s))
        t = r["total"]
        for key in ("exact_count", "questions_found", "matching", "key_pairing"):
            share = t[key]["share"]
            print(f"  {key}: {'–' if share is None else f'{share:.2f}'}", end="")
        print()
        traits = [("paraphrase", "paraphrases"), ("cross_language", "cross-language"),
                  ("off_bank", "off-bank left unmatched")]  # fmt: skip
        shown = [f"{label} {t[f'matching_{k}']['right']}/{t[f'matching_{k}']['of']}"
                 for k, label in traits if t[f"matching_{k}"]["of"]]  # fmt: skip
        if shown:
            print(f"  matching: {', '.join(shown)}")
        if args.verbose:
            for failure in r["failures"]:
                print(f"    ✗ {failure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
