"""grade_text: what an answer got right, missed and got wrong — offline, on CPU.

Pipeline: flag misconceptions sentence by sentence; find each key point's terms in the answer
where it asserts something (with polarity, so a denied claim is not a hit; not in questions, in
statements about older versions, or in the sentence of a misconception); then score.

With key points (a bank question or a teacher's rubric) the score IS the rubric credit: the
weighted share of the key points the answer asserts (a partly covered point earns its share of
term groups), minus 20 points per misconception stated (at most 40). A missed `required` point
caps the score at 64 and a bare keyword list at 20, and the 点评 says why. Reference-only
questions (derived rubrics) use the calibrated model of calibration.py, gated so that an
answer sharing nothing with the reference scores near 0.

Answers longer than MAX_ANSWER_CHARS are graded on their first part, with a note. Levels come
from gointerview.levels (精通 ≥ 85, 熟练 ≥ 65, 了解 ≥ 40, else 欠缺).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from pydantic import BaseModel, Field

from gointerview.bank.schema import Question, QuestionType
from gointerview.grading.text import analysis as ta
from gointerview.grading.text.calibration import model_for, score_fraction
from gointerview.grading.text.embed import Embedder
from gointerview.grading.text.features import FEATURES, lexical_features, with_transforms
from gointerview.grading.text.judge import Judge
from gointerview.grading.text.match import Document, expected_polarity, match_group
from gointerview.grading.text.rubric import (
    RUNG_COVERAGE,
    Rubric,
    RubricMisconception,
    RubricPoint,
    from_question,
)
from gointerview.levels import LEVEL_EN, LEVELS, level_for, points

__all__ = ["LEVELS", "LEVEL_EN", "TextGrade", "grade_rubric", "grade_text", "level_for", "points"]

MISCONCEPTION_PENALTY = 20.0
MAX_PENALTY = 40.0
REQUIRED_CAP = 64.0  # a missed required point: at most 了解
KEYWORD_LIST_CAP = 10.0
MAX_ANSWER_CHARS = 20_000
TEXT_RUBRIC_SATURATION = 1.0
PARTIAL_EXPONENT = 1.0


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


@lru_cache(maxsize=4096)
def _negative(group: tuple[str, ...], texts: tuple[str, ...]) -> bool:
    return expected_polarity(group, texts)


def _in_lang_order(texts: dict[str, str], lang: str) -> tuple[str, ...]:
    """The rubric's texts, the answer's language first: polarity is read there first."""
    return tuple(sorted(texts.values(), key=lambda t: t != texts.get(lang)))


def _grade_point(
    doc: Document, point: RubricPoint, excluded: Sequence[int] = (), history: bool = False
) -> PointGrade:
    """A key point's terms found where the answer asserts them; sentences listed in
    `excluded` (those stating a misconception) earn nothing. Statements about older versions
    count only for a point about history (or under a question about history: `history`)."""
    if point.rungs:
        return _grade_ladder(doc, point, excluded, history)
    rubric_texts = _in_lang_order(point.text, doc.lang)
    history = history or any(ta.about_history(text) for text in point.text.values())
    matched, missing, evidence = [], [], []
    for group in point.groups:
        found = match_group(doc, group, negative=_negative(group, rubric_texts), history=history)
        occurrences = [o for o in found.occurrences if doc.sentence_index(o.start) not in excluded]
        if occurrences:
            occ = occurrences[0]
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
        coverage = 1.0
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


def _grade_ladder(
    doc: Document, point: RubricPoint, excluded: Sequence[int], history: bool
) -> PointGrade:
    """A ladder item earns the share of its best rung reached (RUNG_COVERAGE)."""
    best: tuple[float, PointGrade] | None = None
    for index, rung in enumerate(point.rungs):
        sub = _grade_point(
            doc,
            RubricPoint(f"{point.id}.{index}", point.weight, point.text, rung.groups),
            excluded,
            history,
        )
        found = len(sub.matched_terms) / (len(rung.groups) or 1)
        if found >= RUNG_COVERAGE * max(rung.fraction, 0.25) and (
            best is None or rung.fraction > best[0]
        ):
            best = (rung.fraction, sub)
    if best is None:
        return PointGrade(
            id=point.id, status="missed", weight=point.weight, required=point.required,
            coverage=0.0, confidence=0.0, wording=point.wording(doc.lang),
            missing_terms=[g[0] for r in point.rungs[:1] for g in r.groups],
        )  # fmt: skip
    fraction, sub = best
    return sub.model_copy(
        update={
            "id": point.id,
            "status": "hit" if fraction >= 1.0 else "partial",
            "coverage": round(fraction, 3),
            "required": point.required,
        }
    )


def _misconception_sentences(doc: Document, m: RubricMisconception) -> list[int]:
    """Sentences in which every detect group occurs with the claim's polarity."""
    claim_texts = _in_lang_order(m.claim, doc.lang)
    common: set[int] | None = None
    for group in m.groups:
        found = match_group(doc, group, negative=_negative(group, claim_texts), split_ids=False)
        where = {doc.sentence_index(o.start) for o in found.occurrences} - {-1}
        common = where if common is None else common & where
        if not common:
            return []
    return sorted(common or ())


def _misconceptions(
    doc: Document, misconceptions: Sequence[RubricMisconception]
) -> list[MisconceptionHit]:
    found = []
    seen: set[str] = set()
    for m in misconceptions:
        if m.id in seen:
            continue
        sentences = _misconception_sentences(doc, m)
        if not sentences:
            continue
        seen.add(m.id)
        span = doc.sentences[sentences[0]]
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
    related: Sequence[RubricMisconception] = (),
    reply_lang: str | None = None,
) -> TextGrade:
    """The offline grade, refined by an embedder and/or an LLM judge when given; either may
    fail without changing the offline result (the grade's `graders` and `notes` say so).
    `related` are misconceptions of other questions on the same topics, checked too. The 点评
    is written in `reply_lang` (an interview's language), else in the answer's language."""
    notes: list[str] = []
    if len(answer) > MAX_ANSWER_CHARS:
        notes.append(
            f"answer of {len(answer):,} characters: graded on its first {MAX_ANSWER_CHARS:,}"
        )
        answer = answer[:MAX_ANSWER_CHARS]
    doc = Document(answer)
    if lang and not ta.has_cjk(answer) and not any(c.isalpha() for c in answer):
        doc.lang = lang
    misconceptions = _misconceptions(doc, (*rubric.misconceptions, *related))
    wrong = sorted({doc.sentence_index(m.sentence.start) for m in misconceptions})
    about_history = any(ta.about_history(q) for q in rubric.question.values())
    points = [_grade_point(doc, p, wrong, about_history) for p in rubric.points]
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
    elif rubric.origin == "derived":
        score = 100.0 * score_fraction(model_for(doc.lang), values)
    else:
        score = 100.0 * rubric_credit(rubric, points)
    if judge is not None and not empty:
        from gointerview.grading.text.refine import apply_judge

        judged = apply_judge(judge, doc, rubric, points, notes)
        if judged is not None:
            score = (score + judged) / 2
            graders.append(judge.name)
    score = _capped(score, doc, points, misconceptions, notes)
    level = level_for(score)
    out_lang = reply_lang or doc.lang
    if out_lang != doc.lang:
        _reword(rubric, related, points, misconceptions, out_lang)
    from gointerview.grading.text.feedback import choose_follow_up, write_feedback

    grade = TextGrade(
        score=round(score, 1),
        level=level,
        level_en=LEVEL_EN[level],
        lang=out_lang,
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


def _reword(
    rubric: Rubric,
    related: Sequence[RubricMisconception],
    points: Sequence[PointGrade],
    misconceptions: Sequence[MisconceptionHit],
    lang: str,
) -> None:
    """Point wordings and corrections in `lang` rather than the answer's language."""
    by_point = {p.id: p for p in rubric.points}
    for p in points:
        if p.id in by_point:
            p.wording = by_point[p.id].wording(lang)
    by_claim = {m.id: m for m in (*rubric.misconceptions, *related)}
    for hit in misconceptions:
        m = by_claim.get(hit.id)
        if m is not None:
            hit.claim = m.claim.get(lang) or hit.claim
            hit.correction = m.why.get(lang) or hit.correction


def rubric_credit(rubric: Rubric, points: Sequence[PointGrade]) -> float:
    """The weighted share of the rubric the answer earned. A teacher's rubric item names its
    concept in many words, of which an answer in its own words uses some: covering
    TEXT_RUBRIC_SATURATION of them earns the whole item."""
    total = sum(p.weight for p in points) or 1.0
    earned = 0.0
    for p in points:
        share = 1.0 if p.status == "hit" else p.coverage
        if rubric.origin == "text-rubric" and p.status == "partial":
            share = min(1.0, share / TEXT_RUBRIC_SATURATION)
        elif p.status == "partial":
            share = share**PARTIAL_EXPONENT
        earned += p.weight * share
    return earned / total


def _capped(
    score: float,
    doc: Document,
    points: Sequence[PointGrade],
    misconceptions: Sequence[MisconceptionHit],
    notes: list[str],
) -> float:
    """Penalties and caps, each explained in the notes the 点评 shows."""
    if misconceptions:
        penalty = min(MAX_PENALTY, MISCONCEPTION_PENALTY * len(misconceptions))
        score = max(0.0, score - penalty)
        notes.append(f"-{penalty:g}: {len(misconceptions)} misconception(s) stated")
    if score > KEYWORD_LIST_CAP and ta.is_keyword_list(doc.norm, doc.sentences):
        score = KEYWORD_LIST_CAP
        notes.append(f"capped at {KEYWORD_LIST_CAP:g}: a list of terms, not an explanation")
    missed = [p for p in points if p.required and p.status == "missed"]
    if missed and score > REQUIRED_CAP:
        score = REQUIRED_CAP
        notes.append(
            f"capped at {REQUIRED_CAP:g}: required point missed — "
            + "; ".join(p.wording for p in missed)
        )
    return score


def grade_text(
    question: Question,
    answer: str,
    *,
    embedder: Embedder | None = None,
    judge: Judge | None = None,
    related: Sequence[Question] = (),
    reply_lang: str | None = None,
) -> TextGrade:
    """Grade an answer to a bank question (the rubric is its key points). The misconceptions
    of `related` questions (see `related_questions`) are checked too."""
    return grade_rubric(
        rubric_for(question),
        answer,
        embedder=embedder,
        judge=judge,
        related=tuple(m for q in related for m in rubric_for(q).misconceptions),
        reply_lang=reply_lang,
    )


def related_questions(question: Question, questions: Sequence[Question]) -> list[Question]:
    """Other questions sharing a tag with `question`: a wrong belief about Redis threading is
    just as wrong inside a rate-limiter answer. A drill's misconceptions are misreadings of its
    own artefact, so they stay with the drill."""
    tags = {t.lower() for t in question.tags}
    return [
        q
        for q in questions
        if q.id != question.id
        and q.misconceptions
        and q.type is not QuestionType.DRILL
        and tags & {t.lower() for t in q.tags}
    ]


_RUBRICS: dict[int, tuple[Question, Rubric]] = {}


def rubric_for(question: Question) -> Rubric:
    """Built once per question object (questions are immutable)."""
    cached = _RUBRICS.get(id(question))
    if cached is None or cached[0] is not question:
        cached = (question, from_question(question))
        _RUBRICS[id(question)] = cached
    return cached[1]
