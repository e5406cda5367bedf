"""Turn a parsed document into a user bank: one reference-only question per document
question that has something to use as its reference answer.

The reference answer is the document's own (an answer-key entry, a `参考答案:` block), else
the answer written under the question (in study notes that is the writer's answer; pass
`written_answers=False` to import only explicit references). Area, ability, dimensions and
level are borrowed from the nearest bank question when it is on the same topic (otherwise
language / concurrency / go_advanced / mid), and `sources` says where each question came from,
so the user can review what was guessed. Without key points the grader derives its rubric
from the reference answer, as it does for any reference-only question.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from gointerview.bank import Bank
from gointerview.bank.schema import Question, has_cjk
from gointerview.docimport.match import MatchResult, answer_text, index_for, query_text
from gointerview.docimport.parse import DocQuestion, ParsedDoc

DEFAULTS = {"area": "language", "ability": "concurrency", "dimensions": ["go_advanced"]}


class Skipped(BaseModel):
    index: int
    line: int
    title: str
    reason: str


class Imported(BaseModel):
    questions: list[dict[str, Any]]
    skipped: list[Skipped]
    paired_with_key: int  # questions whose reference came from an answer key / reference block
    from_answer: int = 0  # ... from the answer written under the question
    from_bank: int = 0  # ... from the rubric of the bank question it asks (a practice list)


def slug(text: str, *, limit: int = 5) -> str:
    """ASCII words of a title for an id ("What does a receive ..." -> "what-does-a-receive")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:limit])


def import_document(
    doc: ParsedDoc,
    bank: Bank,
    *,
    prefix: str,
    written_answers: bool = True,
    practice: bool | None = None,
) -> Imported:
    """`practice`: a question with neither a reference nor an answer takes the rubric of the
    bank question it asks (reference answer and key points) — a practice list. None: only
    when no question of the document has either (a question index)."""
    index = index_for(bank)
    if practice is None:
        practice = not any(q.reference or q.answer for q in doc.questions)
    out: list[dict[str, Any]] = []
    skipped: list[Skipped] = []
    origins: dict[str, int] = {"reference": 0, "answer": 0, "bank": 0}
    used: set[str] = set()
    for q in doc.questions:
        match = index.match(query_text(q), answer_text(q))
        reference, origin = _reference(q, written_answers)
        if reference is None and practice and match.matched is not None:
            reference, origin = "", "bank"
        if reference is None:
            skipped.append(
                Skipped(index=q.index, line=q.line, title=q.title, reason=_why_skipped(q))
            )
            continue
        entry = _question(q, reference, origin, match, prefix, used, doc.source)
        try:
            Question.model_validate(entry)
        except ValidationError as exc:  # e.g. a prompt with no text left: say so, keep going
            first = exc.errors()[0]
            skipped.append(Skipped(index=q.index, line=q.line, title=q.title, reason=first["msg"]))
            continue
        out.append(entry)
        origins[origin] += 1
    return Imported(
        questions=out,
        skipped=skipped,
        paired_with_key=origins["reference"],
        from_answer=origins["answer"],
        from_bank=origins["bank"],
    )


def _reference(q: DocQuestion, written_answers: bool) -> tuple[str | None, str]:
    if q.choice is not None and q.choice.correct:
        letters = "、".join(q.choice.correct)
        explained = f"\n\n{q.reference}" if q.reference else ""
        return f"正确答案 / correct: {letters}{explained}", "reference"
    if q.reference:
        return q.reference, "reference"
    if written_answers and q.answer:
        return q.answer, "answer"
    return None, ""


def _why_skipped(q: DocQuestion) -> str:
    if q.answer:
        return "only a written answer (use --written-answers to import it as the reference)"
    return (
        "no reference answer and no written answer in the document "
        "(--practice takes the rubric of the bank question it asks, when one does)"
    )


def _question(
    q: DocQuestion,
    reference: str,
    origin: str,
    match: MatchResult,
    prefix: str,
    used: set[str],
    source: str,
) -> dict[str, Any]:
    related = match.related
    base = f"{prefix}.q{q.index:02d}"
    words = slug(q.prompt_en or q.title)
    qid = (f"{base}-{words}" if words else base)[:110]
    while qid in used:
        qid += "-x"
    used.add(qid)
    where = f"{Path(source).name}:{q.line}"
    ref_line = q.reference_line if origin == "reference" else q.answer_line
    how = {
        "reference": "the document's reference (answer key, 参考答案, <details>, correct letters)",
        "answer": "the answer written there",
        "bank": "the rubric of the bank question it asks",
    }[origin]
    matched = match.matched
    entry: dict[str, Any] = {
        "id": qid,
        "type": "quiz" if q.quiz or q.choice is not None else "concept",
        "area": related.area.value if related else DEFAULTS["area"],
        "ability": related.ability.value if related else DEFAULTS["ability"],
        "dimensions": [d.value for d in related.dimensions] if related else DEFAULTS["dimensions"],
        "level": related.level.value if related else "mid",
        "tags": _tags(q, match.matched),
        "prompt": _bilingual(q.prompt, q.prompt_en),
        "reference_answer": _bilingual(reference, None),
        "sources": [
            f"imported from {where}; reference from {how}"
            + (f" (line {ref_line})" if origin != "bank" else ""),
            *(
                [f"area, ability, dimensions and level copied from bank question {related.id}"]
                if related
                else []
            ),
        ],
    }
    if origin == "bank" and matched is not None:
        entry["reference_answer"] = matched.reference_answer.model_dump(exclude_defaults=True)
        entry["key_points"] = [kp.model_dump(exclude_defaults=True) for kp in matched.key_points]
        entry["sources"].append(f"reference answer and key points from bank question {matched.id}")
    return entry


def _tags(q: DocQuestion, matched: Question | None) -> list[str]:
    """ "imported", the document's own tag, and the tags of the bank question it asks."""
    tags = ["imported"]
    if q.tag:
        tags.append(q.tag)
    if matched is not None:
        tags.extend(t for t in matched.tags[:3] if t not in tags)
    return tags


def _bilingual(text: str, english: str | None) -> dict[str, str]:
    """Text goes under zh when it has Chinese in it, else under en; an explicit English
    wording (`EN:`) fills en."""
    out: dict[str, str] = {}
    if has_cjk(text):
        out["zh"] = text.strip()
    elif not english:
        out["en"] = text.strip()
    if english:
        out["en"] = english.strip()
    return out


def to_yaml(imported: Imported, *, header: str) -> str:
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 100

    def literal(value: Any) -> Any:
        if isinstance(value, str) and "\n" in value:
            return LiteralScalarString(value.strip() + "\n")
        if isinstance(value, dict):
            return {k: literal(v) for k, v in value.items()}
        if isinstance(value, list):
            return [literal(v) for v in value]
        return value

    buffer = io.StringIO()
    yaml.dump({"questions": [literal(q) for q in imported.questions]}, buffer)
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comment + buffer.getvalue()
