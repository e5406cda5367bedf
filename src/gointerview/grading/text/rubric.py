"""Rubrics the grader works with: from a bank question, derived from a reference answer, or
parsed from a text rubric ("- explains why X (3 points)")."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from gointerview.bank.schema import KeyPoint, Question, Text, split_aliases
from gointerview.grading.text import analysis as ta


@dataclass(frozen=True)
class RubricPoint:
    id: str
    weight: float
    text: dict[str, str]  # lang -> wording
    groups: tuple[tuple[str, ...], ...]  # synonym groups
    required: bool = False

    def wording(self, lang: str) -> str:
        return self.text.get(lang) or next(iter(self.text.values()))


@dataclass(frozen=True)
class RubricMisconception:
    id: str
    claim: dict[str, str]
    why: dict[str, str]
    groups: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class FollowUpItem:
    when_missed: str | None
    text: dict[str, str]


@dataclass(frozen=True)
class Rubric:
    """Everything the grader needs about one question, whatever its origin."""

    question: dict[str, str]
    reference: dict[str, str]
    points: tuple[RubricPoint, ...]
    misconceptions: tuple[RubricMisconception, ...] = ()
    follow_ups: tuple[FollowUpItem, ...] = ()
    origin: str = "bank"  # bank | derived | text-rubric
    max_score: float = 1.0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def total_weight(self) -> float:
        return sum(p.weight for p in self.points) or 1.0


def from_question(q: Question) -> Rubric:
    if not q.key_points:
        return derive(
            question=q.prompt.en + "\n" + q.prompt.zh,
            reference=_texts(q.reference_answer),
        )
    return Rubric(
        question=_texts(q.prompt),
        reference=_texts(q.reference_answer),
        points=tuple(_point(kp) for kp in q.key_points),
        misconceptions=tuple(
            RubricMisconception(
                id=m.id,
                claim=_texts(m.claim),
                why=_texts(m.why),
                groups=tuple(tuple(split_aliases(g)) for g in m.detect),
            )
            for m in q.misconceptions
        ),
        follow_ups=tuple(
            FollowUpItem(f.when_missed, {"en": f.en, "zh": f.zh}) for f in q.follow_ups
        ),
    )


def follow_up_rubric(q: Question, index: int) -> Rubric:
    """The rubric a follow-up's answer is graded on: its own expected answer and key points
    when the bank gives them; otherwise the parent's key point it probes (`when_missed`); a
    general follow-up without a rubric falls back to the parent's whole rubric. The parent's
    misconceptions always apply: a follow-up answer can state them too."""
    follow_up = q.follow_ups[index]
    parent = from_question(q)
    prompt = {"en": follow_up.en, "zh": follow_up.zh}
    if follow_up.key_points and follow_up.answer is not None:
        return Rubric(
            question=prompt,
            reference=_texts(follow_up.answer),
            points=tuple(_point(kp) for kp in follow_up.key_points),
            misconceptions=parent.misconceptions,
        )
    probed = tuple(p for p in parent.points if p.id == follow_up.when_missed)
    if not probed:
        return parent
    return Rubric(
        question=prompt,
        reference=parent.reference,
        points=probed,
        misconceptions=parent.misconceptions,
    )


def _point(kp: KeyPoint) -> RubricPoint:
    return RubricPoint(
        id=kp.id,
        weight=kp.weight,
        text={"en": kp.en, "zh": kp.zh},
        groups=tuple(tuple(g) for g in kp.alias_groups()),
        required=kp.required,
    )


def _texts(text: Text) -> dict[str, str]:
    """The languages a text has (an imported question may have only one)."""
    return {lang: value for lang, value in (("en", text.en), ("zh", text.zh)) if value}


# ---------------------------------------------------------------- derived from a reference

MAX_TERMS_PER_POINT = 8


def _question_terms(question: str) -> set[str]:
    return {t.text for t in ta.content_tokens(question)}


def derive(*, question: str, reference: dict[str, str], max_score: float = 1.0) -> Rubric:
    """Key points from a reference answer alone: one point per sentence (clause for long
    sentences), its content words (minus words the question already gives away) as terms,
    weighted by how many it has."""
    qterms = _question_terms(question)
    points: list[RubricPoint] = []
    for lang, text in reference.items():
        if not text.strip() or points:  # one language is enough to derive from
            continue
        for index, span in enumerate(ta.sentences(text)):
            sentence = text[span.start : span.end]
            terms = _salient_terms(sentence, qterms)
            if not terms:
                continue
            points.append(
                RubricPoint(
                    id=f"r{index + 1}",
                    weight=float(len(terms)),
                    text={lang: sentence},
                    groups=tuple((t,) for t in terms),
                )
            )
    if not points:  # the reference only repeats the question: fall back to all its words
        text = next((t for t in reference.values() if t.strip()), "")
        terms = _salient_terms(text, set())
        if terms:
            points.append(
                RubricPoint("r1", float(len(terms)), {"en": text}, tuple((t,) for t in terms))
            )
    return Rubric(
        question={"en": question},
        reference=reference,
        points=tuple(points),
        origin="derived",
        max_score=max_score,
    )


def _salient_terms(sentence: str, qterms: set[str]) -> list[str]:
    """Surface forms of the sentence's content words, most frequent first, deduplicated by
    their normalised form."""
    seen: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for tok in ta.content_tokens(sentence):
        if tok.text in qterms or (tok.cjk and len(tok.text) < 2):
            continue
        counts[tok.text] += 1
        seen.setdefault(tok.text, sentence[tok.start : tok.end])
    return [seen[k] for k, _ in counts.most_common(MAX_TERMS_PER_POINT)]


# ---------------------------------------------------------------- text rubrics

_POINTS = re.compile(
    r"[(（\[]\s*(\d+(?:\.\d+)?)\s*(?:points?|pts?|marks?|分)\s*[)）\]]\s*$"
    r"|[-—–:：]\s*(\d+(?:\.\d+)?)\s*(?:points?|pts?|marks?|分)\s*$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)、]|[（(]\d+[)）])\s+")


class RubricTextError(ValueError):
    pass


def parse_rubric_text(text: str, *, question: str, reference: dict[str, str]) -> Rubric:
    """`- explains why X (3 points)` / `1. 说明原因（2分）` lines → weighted key points.
    Lines without a bullet are ignored; a bullet without points weighs 1."""
    qterms = _question_terms(question)
    points: list[RubricPoint] = []
    for line in text.splitlines():
        if not _BULLET.match(line):
            continue
        body = _BULLET.sub("", line).strip()
        weight = 1.0
        m = _POINTS.search(body)
        if m:
            weight = float(m.group(1) or m.group(2))
            body = body[: m.start()].strip()
        terms = _salient_terms(body, qterms)
        if not body or not terms or weight <= 0:
            continue
        lang = "zh" if ta.has_cjk(body) else "en"
        points.append(
            RubricPoint(f"p{len(points) + 1}", weight, {lang: body}, tuple((t,) for t in terms))
        )
    if not points:
        raise RubricTextError(
            "no rubric items found (expected lines like '- explains X (2 points)')"
        )
    return Rubric(
        question={"en": question},
        reference=reference,
        points=tuple(points),
        origin="text-rubric",
        max_score=sum(p.weight for p in points),
    )
