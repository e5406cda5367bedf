"""The evaluation report of a session: SYLLABUS §2's five dimensions, each rated from the
answers that evidence it, each rating citing those answers.

A dimension is evidenced by the graded answers to questions that list it in `dimensions`
(coding exercises evidence Go advanced features and problem analysis). Its rating is the level
of the mean score of those answers (精通 ≥ 85, 熟练 ≥ 65, 了解 ≥ 40, else 欠缺); a dimension no
answer evidences is "not enough evidence", never a guess. A follow-up answer is graded on the
follow-up's own rubric and shown under its question; when it probes a key point the first
answer missed, a good follow-up answer earns that point's share for the question. It never
lowers the question's score, and never touches the points it does not probe.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, computed_field

from gointerview.bank import Bank
from gointerview.bank.schema import Dimension, Level
from gointerview.exercises.catalog import Catalog
from gointerview.interview.engine import Item, Session
from gointerview.levels import LEVEL_EN, ORDER, level_for, points
from gointerview.report.reference import ReferenceNote

NOT_ENOUGH = "not enough evidence"
DIMENSION_NAMES = {
    Dimension.GO_ADVANCED: {"zh": "Go语言高级特性", "en": "Go advanced features"},
    Dimension.COMPONENTS: {"zh": "系统组件原理", "en": "System component internals"},
    Dimension.DISTRIBUTED_DESIGN: {"zh": "分布式系统设计", "en": "Distributed system design"},
    Dimension.PERFORMANCE: {"zh": "性能调优能力", "en": "Performance tuning"},
    Dimension.PROBLEM_ANALYSIS: {"zh": "问题分析能力", "en": "Problem analysis"},
}
CODING_DIMENSIONS = (Dimension.GO_ADVANCED, Dimension.PROBLEM_ANALYSIS)
# the overall bar per level (SYLLABUS §3): mean score and no dimension below this level
BAR = {
    "junior": (40.0, "欠缺"),
    "mid": (55.0, "欠缺"),
    "senior": (65.0, "了解"),
    "staff": (75.0, "熟练"),
}


class FollowUpEvidence(BaseModel):
    prompt: str
    score: float
    level: str  # 精通 | 熟练 | 了解 | 欠缺 (level_en: the English word, for scripts)
    probes: str | None = None  # the wording of the question's key point it probes
    hit: list[str] = Field(default_factory=list)
    missed: list[str] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def level_en(self) -> str:
        return LEVEL_EN.get(self.level, self.level)


class Evidence(BaseModel):
    question: str
    kind: str
    prompt: str
    score: float
    level: str
    hit: list[str] = Field(default_factory=list)
    missed: list[str] = Field(default_factory=list)
    misconceptions: list[str] = Field(default_factory=list)
    follow_up_score: float | None = None  # the best follow-up answer's own score
    follow_ups: list[FollowUpEvidence] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def level_en(self) -> str:
        return LEVEL_EN.get(self.level, self.level)


class DimensionRating(BaseModel):
    dimension: str
    name: str
    rating: str  # 精通 | 熟练 | 了解 | 欠缺 | not enough evidence
    rating_en: str
    score: float | None
    evidence: list[Evidence]


class StudyItem(BaseModel):
    kind: str  # question | exercise
    id: str
    title: str
    why: str


class Report(BaseModel):
    session: str
    plan: str
    level: str
    lang: str
    answered: int
    asked: int
    overall_score: float | None
    overall_level: str
    verdict: str
    dimensions: list[DimensionRating]
    strengths: list[str]
    gaps: list[str]
    study_plan: list[StudyItem]
    # the reference answer and key points of each :idk, :skip or weak answer (sessions only)
    references: list[ReferenceNote] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overall_level_en(self) -> str:
        return LEVEL_EN.get(self.overall_level, self.overall_level)


def _with_follow_ups(main: Item, follow_ups: list[Item]) -> float | None:
    """The question's score once its follow-ups are counted: each follow-up that probes a key
    point raises that point's credit to the follow-up's own score, if that is higher."""
    if main.score is None:
        return None
    points = {p.get("id"): p for p in (main.grade or {}).get("points", [])}
    total = sum(float(p.get("weight", 0.0)) for p in points.values()) or 1.0
    gained = 0.0
    for point_id in {f.target_point for f in follow_ups if f.target_point}:
        point = points.get(point_id)
        best = max((f.score or 0.0 for f in follow_ups if f.target_point == point_id), default=0.0)
        if point is None:
            continue
        coverage = 1.0 if point.get("status") == "hit" else float(point.get("coverage", 0.0))
        gained += float(point.get("weight", 0.0)) * max(0.0, best / 100.0 - coverage) / total
    return min(100.0, main.score + 100.0 * gained)


def evaluate(session: Session, bank: Bank, catalog: Catalog | None) -> Report:
    """The report of an interview session."""
    lang = session.lang
    follow_ups: dict[str, list[Item]] = defaultdict(list)
    for item in session.items:
        if item.kind == "follow_up":
            follow_ups[item.ref].append(item)
    scored: list[Scored] = []
    for item in session.items:
        if item.kind == "follow_up" or item.status == "skipped":
            continue
        score = _with_follow_ups(item, follow_ups.get(item.ref, []))
        if score is None:
            continue
        ev = _evidence(item, score, follow_ups.get(item.ref, []), lang, bank)
        if item.kind == "exercise":
            dims: tuple[Dimension, ...] = CODING_DIMENSIONS
        else:
            dims = tuple(bank.get(item.ref).dimensions)
        scored.append(Scored(ev, dims))
    report = assemble(
        scored,
        ident=session.id,
        plan=session.plan.id,
        level=session.level,
        lang=lang,
        asked=len(session.main_items()),
        seen={i.ref for i in session.items},
        bank=bank,
        catalog=catalog,
    )
    from gointerview.report.reference import reference_note

    report.references = [n for i in session.items if (n := reference_note(bank, i, lang))]
    return report


@dataclass(frozen=True)
class Scored:
    """One graded answer and the dimensions it evidences."""

    evidence: Evidence
    dimensions: tuple[Dimension, ...]


def assemble(
    scored: list[Scored],
    *,
    ident: str,
    plan: str,
    level: str,
    lang: str,
    asked: int,
    seen: set[str],
    bank: Bank,
    catalog: Catalog | None,
) -> Report:
    """The report from graded answers, whatever produced them: an interview session, an
    interviewer's scorecard or a graded Markdown document. `seen` are the question and
    exercise ids already covered (kept out of the study plan's "unseen" suggestions)."""
    by_dim: dict[Dimension, list[Evidence]] = defaultdict(list)
    weak: list[tuple[str, list[str]]] = []
    for s in scored:
        for dim in s.dimensions:
            by_dim[dim].append(s.evidence)
        if is_weak(s.evidence):
            weak.append((s.evidence.question, s.evidence.missed))
    ratings = [_rating(dim, by_dim.get(dim, []), lang) for dim in Dimension]
    scores = [s.evidence.score for s in scored]
    overall = round(sum(scores) / len(scores), 1) if scores else None
    overall_level = level_for(overall) if overall is not None else NOT_ENOUGH
    return Report(
        session=ident,
        plan=plan,
        level=level,
        lang=lang,
        answered=len(scores),
        asked=asked,
        overall_score=overall,
        overall_level=overall_level,
        verdict=_verdict(level, overall, ratings, lang),
        dimensions=ratings,
        strengths=_strengths(scored, lang),
        gaps=_gaps(scored, ratings, lang),
        study_plan=_study_plan(weak, seen, level, bank, catalog, lang),
    )


STRONG, WEAK = 85.0, 65.0


def is_weak(e: Evidence) -> bool:
    """Worth studying again: below 熟练, or a misconception stated."""
    return e.score < WEAK or bool(e.misconceptions)


def _strengths(scored: list[Scored], lang: str) -> list[str]:
    """Answers that rated 精通 with nothing wrong in them, best first, each with its points."""
    good = sorted(
        (
            s.evidence
            for s in scored
            if s.evidence.score >= STRONG and not s.evidence.misconceptions
        ),
        key=lambda e: -e.score,
    )
    sep = "；" if lang == "zh" else "; "
    return [
        f"{e.prompt} ({points(e.score)})" + (f" — {sep.join(e.hit[:3])}" if e.hit else "")
        for e in good
    ]


def _gaps(scored: list[Scored], ratings: list[DimensionRating], lang: str) -> list[str]:
    """What the evidence says is missing: misconceptions stated, weak answers with the points
    they missed, and dimensions rated below 熟练."""
    zh = lang == "zh"
    out = []
    for s in scored:
        for claim in s.evidence.misconceptions:
            out.append(("误区：" if zh else "wrong: ") + claim)
    for s in sorted(scored, key=lambda s: s.evidence.score):
        e = s.evidence
        if e.score < WEAK:
            missed = ("；" if zh else "; ").join(e.missed[:3])
            out.append(f"{e.prompt} ({points(e.score)})" + (f" — {missed}" if missed else ""))
    for r in ratings:
        if r.rating in ("了解", "欠缺"):
            out.append(f"{r.name}: {r.rating_en}" if not zh else f"{r.name}：{r.rating}")
    return list(dict.fromkeys(out))


def _rating(dim: Dimension, evidence: list[Evidence], lang: str) -> DimensionRating:
    name = DIMENSION_NAMES[dim][lang]
    if not evidence:
        return DimensionRating(
            dimension=dim.value,
            name=name,
            rating=NOT_ENOUGH,
            rating_en=NOT_ENOUGH,
            score=None,
            evidence=[],
        )
    mean = sum(e.score for e in evidence) / len(evidence)
    rating = level_for(mean)
    return DimensionRating(
        dimension=dim.value,
        name=name,
        rating=rating,
        rating_en=LEVEL_EN[rating],
        score=round(mean, 1),
        evidence=evidence,
    )


def _evidence(item: Item, score: float, follow_ups: list[Item], lang: str, bank: Bank) -> Evidence:
    hit, missed = _point_lists(item, lang, bank)
    grade: dict[str, Any] = item.grade or {}
    follow = [_follow_up_evidence(item, f, lang, bank) for f in follow_ups if f.score is not None]
    return Evidence(
        question=item.ref,
        kind=item.kind,
        prompt=_first_line(item.prompt, lang),
        score=round(score, 1),
        level=level_for(score),
        hit=hit,
        missed=missed,
        misconceptions=_claims(item, grade, lang, bank),
        follow_up_score=max((f.score for f in follow), default=None),
        follow_ups=follow,
    )


def _first_line(prompt: dict[str, str], lang: str) -> str:
    return whole_line(prompt.get(lang) or prompt.get("en", ""))


def whole_line(text: str, limit: int = 160) -> str:
    """A prompt as one line of at most `limit` characters (a study plan's entry, a report's
    evidence, a card's title): its first paragraph, the lines an editor wrapped joined again,
    cut at a sentence, clause or word boundary when too long. Whatever is left out (the end
    of the paragraph, or the code or log after it) shows as a closing "…"; a one-line prompt
    that fits comes back as it is."""
    first, *rest = text.strip().splitlines() or [""]
    line = last = first.strip()
    while rest and _wraps(last, rest[0]):
        last = rest.pop(0).strip()
        line += ("" if _wide(line[-1]) and _wide(last[0]) else " ") + last
    if len(line) <= limit and not any(r.strip() for r in rest):
        return line
    # room for what _elided adds: a closing backtick and "…", or " …"
    return _elided(line if len(line) <= limit - 2 else _cut(line, limit - 2))


_BLOCK_START = re.compile(r"\s|```|~~~|[-*+•>#|]\s|\d+[.)]\s|\d+、")
WRAP_WIDTH = 60  # display columns: a line this wide that ends mid-sentence was wrapped


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in "WF"


def _wraps(line: str, after: str) -> bool:
    """An editor's wrap: a wide line that ends mid-sentence, then more of the same paragraph
    (not a blank line, code, a list or a log line indented under it)."""
    wide = sum(2 if _wide(c) else 1 for c in line)
    return (
        wide >= WRAP_WIDTH
        and line[-1:] not in ".。!！?？;；:："
        and bool(after.strip())
        and not _BLOCK_START.match(after)
    )


def _cut(line: str, n: int) -> str:
    """At most `n` characters of `line`: up to the last sentence end in the second half, else
    the last clause mark, else the last space, else (Chinese has no spaces) a character — never
    between a character and the accent that combines with it."""
    window = line[: n + 1]  # "? " may straddle the limit
    for marks in (("。", "？", "！", "? ", "! ", ". "), ("；", "; ", "，", ", ", "、"), (" ",)):
        at = max(window.rfind(m) for m in marks)
        if n // 2 <= at < n:
            return line[: at + 1]
    while n > 0 and unicodedata.combining(line[n]):
        n -= 1
    return line[:n]


def _elided(text: str) -> str:
    """`text` marked as cut short, an inline code span it cut through closed again."""
    text = text.rstrip(" ,，;；、:：")
    if text.count("`") % 2:
        text += "`"
    return text + (" …" if text[-1:] in ".?!" else "…")


def _point_lists(item: Item, lang: str, bank: Bank) -> tuple[list[str], list[str]]:
    """Hit and missed points in the report's language (the bank's wording where it has one)."""
    points = (item.grade or {}).get("points", [])
    wording = {p.get("id"): p.get("wording", "") for p in points}
    if item.kind == "question":
        question = bank.get(item.ref)
        for point_id in wording:
            kp = question.key_point(point_id or "")
            if kp is not None:
                wording[point_id] = kp.text(lang)
    hit = [wording[p.get("id")] for p in points if p.get("status") == "hit"]
    missed = [wording[p.get("id")] for p in points if p.get("status") == "missed"]
    return hit, missed


def _follow_up_evidence(main: Item, item: Item, lang: str, bank: Bank) -> FollowUpEvidence:
    assert item.score is not None
    probes = None
    if item.target_point and main.kind == "question":
        kp = bank.get(main.ref).key_point(item.target_point)
        probes = kp.text(lang) if kp is not None else None
    points = (item.grade or {}).get("points", [])
    return FollowUpEvidence(
        prompt=_first_line(item.prompt, lang),
        score=round(item.score, 1),
        level=level_for(item.score),
        probes=probes,
        hit=[p.get("wording", "") for p in points if p.get("status") == "hit"],
        missed=[p.get("wording", "") for p in points if p.get("status") == "missed"],
    )


def _verdict(level: str, overall: float | None, ratings: list[DimensionRating], lang: str) -> str:
    zh = lang == "zh"
    if overall is None:
        return "没有可评分的回答。" if zh else "No graded answers: nothing to judge."
    bar, floor = BAR.get(level, BAR["senior"])
    rated = [r for r in ratings if r.rating != NOT_ENOUGH]
    weak = [r.name for r in rated if ORDER.index(r.rating) < ORDER.index(floor)]
    meets = overall >= bar and not weak
    probed = len(rated)
    if zh:
        outcome = "达到" if meets else "未达到"
        head = f"按 {level} 标准：{outcome}要求（平均 {points(overall)}，线 {bar:.0f}）。"
        tail = f"考察了 {probed}/5 个维度" + (f"；短板：{'、'.join(weak)}" if weak else "") + "。"
    else:
        head = (
            f"Against the {level} bar: {'meets' if meets else 'does not meet'} it "
            f"(overall {points(overall)}, bar {bar:.0f})."
        )
        tail = (
            f" {probed}/5 dimensions probed"
            + (f"; below the bar: {', '.join(weak)}" if weak else "")
            + "."
        )
    return head + tail


def _study_plan(
    missed: list[tuple[str, list[str]]],
    asked: set[str],
    level_name: str,
    bank: Bank,
    catalog: Catalog | None,
    lang: str,
) -> list[StudyItem]:
    """Drill the weak questions again, then unseen questions on the same topics, then an
    exercise on them. Answers to questions the bank does not hold (from a document) add
    nothing here."""
    known = {q.id for q in bank.questions}
    plan: list[StudyItem] = []
    tags: set[str] = set()
    for ref, missed_points in missed:
        if catalog is not None and ref in catalog.exercises:
            ex = catalog.get(ref)
            plan.append(
                StudyItem(
                    kind="exercise",
                    id=ref,
                    title=ex.meta.title.get(lang),
                    why="重做这道练习，直到隐藏测试全部通过"
                    if lang == "zh"
                    else "redo the exercise until every hidden test passes",
                )
            )
            continue
        if ref not in known:
            continue
        q = bank.get(ref)
        tags.update(q.tags)
        if missed_points:
            head = "复习遗漏的要点：" if lang == "zh" else "review the missed points: "
            why = head + "; ".join(missed_points[:3])
        else:  # scored without a point-by-point record (a kit scored by number or level)
            why = "把这道题从头再过一遍" if lang == "zh" else "go over the whole question again"
        plan.append(
            StudyItem(kind="question", id=ref, title=whole_line(q.prompt.get(lang)), why=why)
        )
    level = Level(level_name) if level_name in {lv.value for lv in Level} else Level.MID
    related = [
        q
        for q in bank.questions
        if q.id not in asked
        and set(q.tags) & tags
        and abs(list(Level).index(q.level) - list(Level).index(level)) <= 1
    ]
    for q in sorted(related, key=lambda q: (-len(set(q.tags) & tags), q.id))[:5]:
        plan.append(
            StudyItem(
                kind="question",
                id=q.id,
                title=whole_line(q.prompt.get(lang)),
                why=("同一主题：" if lang == "zh" else "same topic: ")
                + ", ".join(sorted(set(q.tags) & tags)[:3]),
            )
        )
    if catalog is not None:
        for ex in sorted(catalog.exercises.values(), key=lambda e: e.id):
            if ex.id not in asked and set(ex.meta.topics) & tags:
                plan.append(
                    StudyItem(
                        kind="exercise",
                        id=ex.id,
                        title=ex.meta.title.get(lang),
                        why=("动手练习：" if lang == "zh" else "hands-on: ")
                        + ", ".join(sorted(set(ex.meta.topics) & tags)),
                    )
                )
                break
    return plan


def _claims(item: Item, grade: dict[str, Any], lang: str, bank: Bank) -> list[str]:
    found = [m.get("id", "") for m in grade.get("misconceptions", [])]
    if item.kind != "question":
        return []
    by_id = {m.id: m.claim.get(lang) for m in bank.get(item.ref).misconceptions}
    return [by_id.get(i, i) for i in found]
