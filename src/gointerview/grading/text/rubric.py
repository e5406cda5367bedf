"""Rubrics the grader works with: from a bank question, derived from a reference answer, or
parsed from a text rubric ("- explains why X (3 points)")."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from gointerview.bank.schema import KeyPoint, Question, Text, split_aliases
from gointerview.grading.text import analysis as ta


@dataclass(frozen=True)
class Rung:
    """One step of a ladder item ("partially correct (4 points)"): the share of the item's
    weight it is worth and the terms that show it."""

    fraction: float
    groups: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class RubricPoint:
    id: str
    weight: float
    text: dict[str, str]  # lang -> wording
    groups: tuple[tuple[str, ...], ...]  # synonym groups
    required: bool = False
    rungs: tuple[Rung, ...] = ()  # a ladder item is scored by its best matching rung

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

_NUMBER = r"(\d+(?:\.\d+)?)"
_UNIT = r"(?:points?|pts?|marks?|分)"
_POINTS = re.compile(
    rf"[(（\[]\s*{_NUMBER}\s*{_UNIT}\s*[)）\]]"  # (3 points) （2分）
    rf"|(?:[-—–:：]|\s)\s*{_NUMBER}\s*{_UNIT}\b\s*[.。]?\s*$",  # — 2 marks / 3 pts
    re.IGNORECASE,
)
_ITEM = re.compile(
    r"^\s*(?:[-*+•·]\s*|\d+\s*[.)、．]\s*(?!\d)|[（(]\s*[a-zA-Z0-9]{1,2}\s*[)）]\s*|[a-z][.)]\s+)"
)
_LADDER_SPLIT = re.compile(r"[;；]")
_EACH = re.compile(
    rf"(\d+)\s*(?:sub-?questions?|parts?|小问|小题|问)[^\d]{{0,20}}?{_NUMBER}\s*{_UNIT}", re.I
)
# how teachers phrase an item, not what it is about
RUBRIC_WORDS = frozenset(
    """for correct correctly explanation explain explains explaining describe describes
    description mention mentions mentioning state states stating identify identifies give gives
    giving student answer answers point points fully mostly partially partial complete
    completely incorrect wrong clear unclear note notes discuss discusses show shows
    说明 指出 提到 描述 正确 给出 解释 举出 判断 回答 完全 部分 基本 只 只有 清楚 不清 完整
    得分 酌情 能够 写出 分析 列出 阐述""".split()
)
RUNG_COVERAGE = 0.6  # a rung worth all the item is reached at this share of its terms; a rung
# worth a fraction f of it at f times that share


class RubricTextError(ValueError):
    pass


@dataclass(frozen=True)
class _Line:
    body: str
    weight: float | None
    item: bool
    indent: int


def _scan(text: str) -> list[_Line]:
    out = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        item = bool(_ITEM.match(raw))
        body = _ITEM.sub("", raw).strip() if item else raw.strip()
        weights = list(_POINTS.finditer(body))
        weight = None
        if len(weights) == 1:
            m = weights[0]
            weight = float(m.group(1) or m.group(2))
            body = (body[: m.start()] + " " + body[m.end() :]).strip(" ,，;；")
        elif len(weights) > 1:  # a ladder on one line: keep it whole
            weight = max(float(m.group(1) or m.group(2)) for m in weights)
        out.append(_Line(body, weight, item, len(raw) - len(raw.lstrip())))
    return out


def _rubric_terms(text: str, qterms: set[str]) -> list[str]:
    return [t for t in _salient_terms(text, qterms) if ta.stem(t.lower()) not in _RUBRIC_STEMS]


_RUBRIC_STEMS = frozenset(ta.stem(w) if w.isascii() else w for w in RUBRIC_WORDS)


def _rungs(parts: list[tuple[str, float]], head: str, qterms: set[str]) -> tuple[Rung, ...]:
    top = max(weight for _, weight in parts) or 1.0
    head_terms = _rubric_terms(head, qterms)
    rungs = []
    for text, weight in sorted(parts, key=lambda p: -p[1]):
        own = _rubric_terms(text, qterms)
        rungs.append(Rung(weight / top, tuple((term,) for term in (own or head_terms))))
    return tuple(rungs)


def _one_line_ladder(body: str) -> list[tuple[str, float]]:
    parts = []
    for piece in _LADDER_SPLIT.split(body):
        m = _POINTS.search(piece)
        if m:
            parts.append((piece[: m.start()].strip(), float(m.group(1) or m.group(2))))
    return parts


def parse_rubric_text(
    text: str, *, question: str, reference: dict[str, str], warnings: list[str] | None = None
) -> Rubric:
    """A teacher's rubric → weighted key points. Items are numbered (`1.`, `1)`, `(a)`) or
    bulleted (`-`, `*`, `•`) lines, their weight written as "(3 points)", "3 pts", "— 2 marks"
    or "（2分）" (1 when absent; a line carrying points counts as an item even without a bullet).
    A ladder of alternatives — on one line ("Correct (16 points); partially correct (4
    points)") or as indented lines under an item — is one item scored by its best matching rung.
    A rubric with no items ("3 sub-questions, 9 points each") falls back to the reference
    answer, with a warning appended to `warnings`."""
    qterms = _question_terms(question)
    lines = _scan(text)
    points: list[RubricPoint] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.item and line.weight is None:
            i += 1
            continue
        ladder = _one_line_ladder(line.body) if line.weight is not None else []
        # rungs written as indented, weighted lines under an item without its own weight
        nested: list[tuple[str, float]] = []
        j = i + 1
        while (
            line.weight is None
            and j < len(lines)
            and lines[j].indent > line.indent
            and lines[j].weight is not None
        ):
            nested.append((lines[j].body, lines[j].weight or 0.0))
            j += 1
        lang = "zh" if ta.has_cjk(line.body) else "en"
        rungs: tuple[Rung, ...] = ()
        if len(ladder) > 1:
            rungs = _rungs(ladder, "", qterms)
            weight = max(w for _, w in ladder)
        elif nested:
            rungs = _rungs(nested, line.body, qterms) if len(nested) > 1 else ()
            weight = max(w for _, w in nested)
            if len(nested) == 1:
                line = _Line(line.body + " " + nested[0][0], nested[0][1], True, line.indent)
        else:
            weight = line.weight if line.weight is not None else 1.0
        i = j if nested else i + 1
        terms = _rubric_terms(line.body, qterms)
        if weight <= 0 or not (terms or rungs):
            continue
        points.append(
            RubricPoint(
                f"p{len(points) + 1}",
                weight,
                {lang: line.body},
                tuple((term,) for term in terms),
                rungs=_with_reference(rungs, reference, qterms),
            )
        )
    if not points:
        each = _EACH.search(text)
        note = "no rubric items found: graded against the reference answer"
        if warnings is not None:
            warnings.append(note)
        if not any(r.strip() for r in reference.values()):
            raise RubricTextError(
                "no rubric items found (expected lines like '- explains X (2 points)') and no "
                "reference answer to fall back on"
            )
        derived = derive(question=question, reference=reference)
        max_score = float(each.group(1)) * float(each.group(2)) if each else 0.0
        return Rubric(
            question=derived.question,
            reference=reference,
            points=derived.points,
            origin="text-rubric",
            max_score=max_score or 1.0,
        )
    return Rubric(
        question={"en": question},
        reference=reference,
        points=tuple(points),
        origin="text-rubric",
        max_score=sum(p.weight for p in points),
    )


def _with_reference(
    rungs: tuple[Rung, ...], reference: dict[str, str], qterms: set[str]
) -> tuple[Rung, ...]:
    """Rungs that name no content ("Correct", "mostly correct") are judged by how much of the
    reference answer the answer covers."""
    if not rungs or any(r.groups for r in rungs):
        return rungs
    text = " ".join(reference.values())
    terms = _rubric_terms(text, qterms) or _salient_terms(text, set())
    groups = tuple((term,) for term in terms)
    return tuple(Rung(r.fraction, groups) for r in rungs)
