"""grade_text: what an answer got right, missed and got wrong — offline, on CPU.

Pipeline: find each key point's terms in the answer (with polarity, so a denied claim is not a
hit), flag misconceptions sentence by sentence, compute lexical similarity to the reference,
combine the signals with the calibrated model (calibration.py), then write feedback in the
answer's language and pick the follow-up for the most important missed point.

Levels: 精通 ≥ 85, 熟练 ≥ 65, 了解 ≥ 40, else 欠缺. A missed `required` point caps the level at
了解; each misconception stated costs 10 points (at most 30).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from pydantic import BaseModel, Field

from gointerview.bank.schema import Question
from gointerview.grading.text import analysis as ta
from gointerview.grading.text.calibration import model_for, score_fraction
from gointerview.grading.text.embed import Embedder
from gointerview.grading.text.features import FEATURES, lexical_features, with_transforms
from gointerview.grading.text.judge import Judge
from gointerview.grading.text.match import Document, expected_polarity, match_group
from gointerview.grading.text.rubric import Rubric, RubricPoint, from_question

LEVELS = (("精通", 85.0), ("熟练", 65.0), ("了解", 40.0), ("欠缺", 0.0))
LEVEL_EN = {"精通": "expert", "熟练": "proficient", "了解": "familiar", "欠缺": "lacking"}
MISCONCEPTION_PENALTY = 10.0
MAX_PENALTY = 30.0


class Evidence(BaseModel):
    start: int
    end: int
    text: str


class PointGrade(BaseModel):
    id: str
    status: str  # hit | partial | missed
    weight: float
    required: bool
    coverage: float  # share of the point's term groups found
    confidence: float
    wording: str
    evidence: list[Evidence] = Field(default_factory=list)
    matched_terms: list[str] = Field(default_factory=list)
    missing_terms: list[str] = Field(default_factory=list)


class MisconceptionHit(BaseModel):
    id: str
    claim: str
    correction: str
    sentence: Evidence


class TextGrade(BaseModel):
    score: float  # 0-100
    level: str  # 精通 | 熟练 | 了解 | 欠缺
    level_en: str
    lang: str
    points: list[PointGrade]
    misconceptions: list[MisconceptionHit]
    structure: dict[str, bool]
    feedback: str
    follow_up: str | None
    features: dict[str, float]
    graders: list[str]
    notes: list[str] = Field(default_factory=list)

    @property
    def hit(self) -> list[PointGrade]:
        return [p for p in self.points if p.status == "hit"]

    @property
    def missed(self) -> list[PointGrade]:
        return [p for p in self.points if p.status == "missed"]


def points(score: float) -> str:
    """A score as shown to people: rounded down, so a 64.9 reads 64 — the same side of the
    65 line as its level (了解), never "65 了解"."""
    return str(math.floor(score + 1e-9))


def level_for(score: float) -> str:
    return next(name for name, floor in LEVELS if score >= floor)


@lru_cache(maxsize=4096)
def _negative(group: tuple[str, ...], texts: tuple[str, ...]) -> bool:
    return expected_polarity(group, texts)


def _in_lang_order(texts: dict[str, str], lang: str) -> tuple[str, ...]:
    """The rubric's texts, the answer's language first: polarity is read there first."""
    return tuple(sorted(texts.values(), key=lambda t: t != texts.get(lang)))


def _grade_point(doc: Document, point: RubricPoint) -> PointGrade:
    rubric_texts = _in_lang_order(point.text, doc.lang)
    matched, missing, evidence = [], [], []
    for group in point.groups:
        found = match_group(doc, group, negative=_negative(group, rubric_texts))
        if found.matched:
            occ = found.occurrences[0]
            matched.append(occ.alias)
            evidence.append(
                Evidence(start=occ.start, end=occ.end, text=doc.text[occ.start : occ.end])
            )
        else:
            missing.append(group[0])
    n = len(point.groups) or 1
    coverage = len(matched) / n
    if len(matched) == n or (n >= 4 and len(matched) >= n - 1):
        status = "hit"
    elif matched:
        status = "partial"
    else:
        status = "missed"
    wording = point.wording(doc.lang)
    sentence_sim = 0.0
    if evidence:
        span = doc.sentence_of(evidence[0].start)
        sentence = doc.text[span.start : span.end]
        sentence_sim = lexical_features(question="", reference=wording, answer=sentence)[
            "cos_chars"
        ]
    confidence = round(min(1.0, 0.6 * coverage + 0.4 * sentence_sim + (0.1 if matched else 0.0)), 2)
    return PointGrade(
        id=point.id,
        status=status,
        weight=point.weight,
        required=point.required,
        coverage=round(coverage, 3),
        confidence=confidence if matched else 0.0,
        wording=wording,
        evidence=sorted(evidence, key=lambda e: e.start),
        matched_terms=matched,
        missing_terms=missing,
    )


def _misconceptions(doc: Document, rubric: Rubric) -> list[MisconceptionHit]:
    found = []
    for m in rubric.misconceptions:
        claim_texts = _in_lang_order(m.claim, doc.lang)
        for span in doc.sentences:
            sentence = Document(doc.text[span.start : span.end])
            if all(
                match_group(
                    sentence, g, negative=_negative(g, claim_texts), split_ids=False
                ).matched
                for g in m.groups
            ):
                found.append(
                    MisconceptionHit(
                        id=m.id,
                        claim=m.claim.get(doc.lang) or m.claim.get("en", ""),
                        correction=m.why.get(doc.lang) or m.why.get("en", ""),
                        sentence=Evidence(
                            start=span.start, end=span.end, text=doc.text[span.start : span.end]
                        ),
                    )
                )
                break
    return found


_STRUCTURE_CUES = {
    "when": (
        "when to use",
        "use it when",
        "suitable",
        "scenario",
        "适用",
        "场景",
        "什么时候",
        "适合",
    ),
    "why": ("because", "since", "so that", "the reason", "因为", "原因", "所以", "为了", "之所以"),
    "how": ("```", "func ", "implement", "step", "调用", "实现", "步骤", "做法", "代码"),
    "verify": (
        "pprof",
        "trace",
        "benchmark",
        "-race",
        "race detector",
        "gctrace",
        "schedtrace",
        "metrics",
        "monitor",
        "measure",
        "验证",
        "压测",
        "监控",
        "基准",
        "测试",
    ),
}


def _structure(text: str) -> dict[str, bool]:
    lower = text.lower()
    return {k: any(cue in lower for cue in cues) for k, cues in _STRUCTURE_CUES.items()}


def features_for(
    rubric: Rubric, doc: Document, points: Sequence[PointGrade], misconceptions: int
) -> dict[str, float]:
    total = sum(p.weight for p in points) or 1.0
    reference = rubric.reference.get(doc.lang) or next(
        (r for r in rubric.reference.values() if r.strip()), ""
    )
    question = rubric.question.get(doc.lang) or " ".join(rubric.question.values())
    values = {
        "kp_credit": sum(p.weight * p.coverage for p in points) / total,
        "kp_hit": sum(p.weight for p in points if p.status == "hit") / total,
        "misconceptions": float(misconceptions),
    }
    values.update(lexical_features(question=question, reference=reference, answer=doc.text))
    values = with_transforms(values)
    return {k: round(values.get(k, 0.0), 4) for k in FEATURES}


def grade_rubric(
    rubric: Rubric,
    answer: str,
    *,
    lang: str | None = None,
    embedder: Embedder | None = None,
    judge: Judge | None = None,
) -> TextGrade:
    """The offline grade, refined by an embedder and/or an LLM judge when given; either may
    fail without changing the offline result (the grade's `graders` and `notes` say so)."""
    doc = Document(answer)
    if lang and not ta.has_cjk(answer) and not any(c.isalpha() for c in answer):
        doc.lang = lang
    points = [_grade_point(doc, p) for p in rubric.points]
    misconceptions = _misconceptions(doc, rubric)
    notes: list[str] = []
    graders = ["lexical"]
    empty = not ta.content_tokens(answer) or ta.is_dont_know(answer)
    if embedder is not None and not empty:
        from gointerview.grading.text.refine import apply_embedder

        if apply_embedder(embedder, doc, rubric, points, notes):
            graders.append(embedder.name)
    values = features_for(rubric, doc, points, len(misconceptions))
    if empty:
        score = 0.0
        notes.append("no answer" if not ta.is_dont_know(answer) else "answered: don't know")
    else:
        score = 100.0 * score_fraction(
            model_for(doc.lang), values, curated_rubric=rubric.origin == "bank"
        )
    if judge is not None and not empty:
        from gointerview.grading.text.refine import apply_judge

        judged = apply_judge(judge, doc, rubric, points, notes)
        if judged is not None:
            score = (score + judged) / 2
            graders.append(judge.name)
    penalty = min(MAX_PENALTY, MISCONCEPTION_PENALTY * len(misconceptions))
    score = max(0.0, score - penalty)
    level = level_for(score)
    if any(p.required and p.status == "missed" for p in points) and level in ("精通", "熟练"):
        level = "了解"
        notes.append("a required key point was missed: level capped at 了解")
    from gointerview.grading.text.feedback import choose_follow_up, write_feedback

    grade = TextGrade(
        score=round(score, 1),
        level=level,
        level_en=LEVEL_EN[level],
        lang=doc.lang,
        points=points,
        misconceptions=misconceptions,
        structure=_structure(answer),
        feedback="",
        follow_up=None,
        features=values,
        graders=graders,
        notes=notes,
    )
    grade.follow_up = choose_follow_up(rubric, grade)
    grade.feedback = write_feedback(grade)
    return grade


def grade_text(
    question: Question,
    answer: str,
    *,
    embedder: Embedder | None = None,
    judge: Judge | None = None,
) -> TextGrade:
    """Grade an answer to a bank question (the rubric is its key points)."""
    return grade_rubric(rubric_for(question), answer, embedder=embedder, judge=judge)


_RUBRICS: dict[int, tuple[Question, Rubric]] = {}


def rubric_for(question: Question) -> Rubric:
    """Built once per question object (questions are immutable)."""
    cached = _RUBRICS.get(id(question))
    if cached is None or cached[0] is not question:
        cached = (question, from_question(question))
        _RUBRICS[id(question)] = cached
    return cached[1]
