"""Rejection feedback analytics: one text per interview, the recurring reasons counted across
texts, each mapped to evaluation dimensions and bank tags, and the top ones turned into a
study plan of questions, exercises and review cards.

Finding a reason (reasons.py): the text is split into sentences; in each, the subject words
of every reason and the deficiency cues are found — Chinese as substrings (jieba splits
phrases such as 经验不足 differently in different sentences, so a phrase is looked up whole),
English as stemmed word sequences ("lacked" and "lacks" are one cue). Each cue counts for the
reason whose subject word is nearest to it — in its own clause if one is there, else in the
same sentence within MAX_GAP characters — so "系统设计不错，但并发基础不扎实" names
concurrency, not design. A reason counts once per
text: "×7" means seven interviews said it. The words people used are counted too (jieba for
Chinese, stemmed English tokens, stop words and cues left out), so a reason the lexicon does
not know still shows up as a recurring term.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from gointerview.errors import GointerviewError, NotFoundError
from gointerview.grading.text import analysis as ta
from gointerview.progress.clock import as_utc, end_of_day
from gointerview.progress.reasons import CUES, REASONS, Reason
from gointerview.progress.tables import CardRow, FeedbackTextRow

if TYPE_CHECKING:
    from gointerview.bank import Bank
    from gointerview.exercises.catalog import Catalog
    from gointerview.store.db import Store

MAX_TEXT = 64 * 1024  # characters in one feedback text
MAX_GAP = 24  # characters between a cue and its subject word
TOP_TERMS = 15
PLAN_REASONS = 5
PLAN_QUESTIONS = 4


class FeedbackText(BaseModel):
    id: int
    label: str
    text: str
    added_at: datetime


class Mention(BaseModel):
    text_id: int
    excerpt: str  # the sentence that names the reason


class ReasonCount(BaseModel):
    id: str
    name: str
    count: int  # texts naming it
    dimensions: list[str]
    tags: list[str]
    mentions: list[Mention] = Field(default_factory=list)


class PlanItem(BaseModel):
    reason: str
    name: str
    count: int
    questions: list[str]
    exercises: list[str]
    cards: list[int]  # review cards on the same topics
    cards_due: int
    line: str


class Analysis(BaseModel):
    texts: int
    reasons: list[ReasonCount]
    terms: list[tuple[str, int]]  # recurring words: (word, texts using it)
    unmatched: list[int]  # texts in which no reason was found
    plan: list[PlanItem]


# ---------------------------------------------------------------- storing texts


def add_text(store: Store, text: str, *, label: str = "", now: datetime) -> tuple[int, bool]:
    """Store one feedback text; (id, False) when the same text is already there."""
    text = text.strip()
    if not text:
        raise GointerviewError("the feedback text is empty")
    if len(text) > MAX_TEXT:
        raise GointerviewError(
            f"the feedback text has {len(text):,} characters; at most {MAX_TEXT:,}"
        )
    digest = hashlib.sha256(text.encode()).hexdigest()
    with OrmSession(store.engine) as db, db.begin():
        row = db.scalars(select(FeedbackTextRow).where(FeedbackTextRow.sha256 == digest)).first()
        if row is not None:
            return row.id, False
        row = FeedbackTextRow(
            sha256=digest, label=label.strip()[:200], text=text, added_at=as_utc(now)
        )
        db.add(row)
        db.flush()
        return row.id, True


def texts(store: Store) -> list[FeedbackText]:
    with OrmSession(store.engine) as db:
        return [
            FeedbackText(id=r.id, label=r.label, text=r.text, added_at=as_utc(r.added_at))
            for r in db.scalars(select(FeedbackTextRow).order_by(FeedbackTextRow.id))
        ]


def remove_text(store: Store, text_id: int) -> None:
    with OrmSession(store.engine) as db, db.begin():
        row = db.get(FeedbackTextRow, text_id)
        if row is None:
            raise NotFoundError(f"no feedback text {text_id} (see `gointerview feedback list`)")
        db.delete(row)


# ---------------------------------------------------------------- finding reasons


@cache
def _latin_pattern(phrase: str) -> tuple[str, ...]:
    return tuple(t.text for t in ta.tokens(phrase))


def _find(
    phrase: str, text: str, lowered: str, tokens: Sequence[ta.Token]
) -> list[tuple[int, int]]:
    """Where `phrase` occurs: a substring for Chinese, a stemmed word sequence otherwise."""
    if ta.has_cjk(phrase):
        needle = phrase.lower()
        out, at = [], lowered.find(needle)
        while at >= 0:
            out.append((at, at + len(needle)))
            at = lowered.find(needle, at + 1)
        return out
    pattern = _latin_pattern(phrase)
    n = len(pattern)
    if not n:
        return []
    words = [t for t in tokens if not t.cjk]
    return [
        (words[i].start, words[i + n - 1].end)
        for i in range(len(words) - n + 1)
        if tuple(w.text for w in words[i : i + n]) == pattern
    ]


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def reasons_in(text: str) -> dict[str, str]:
    """Reason id → the sentence that names it (the first one)."""
    found: dict[str, str] = {}
    for span in ta.sentences(text):
        sentence = text[span.start : span.end]
        lowered = sentence.lower()
        tokens = ta.tokens(sentence)
        subjects = [
            (reason, where)
            for reason in REASONS
            for phrase in reason.subjects
            for where in _find(phrase, sentence, lowered, tokens)
        ]
        cues = [where for cue in CUES for where in _find(cue, sentence, lowered, tokens)]
        clause = _clauses(sentence)
        hits: set[str] = set()
        for cue in cues:
            near = [(s, r) for r, s in subjects if _gap(cue, s) <= MAX_GAP and not _inside(cue, s)]
            same = [(s, r) for s, r in near if clause[s[0]] == clause[cue[0]]]
            near = same or near
            if near:
                _, reason = min(near, key=lambda pair: (_gap(cue, pair[0]), -len(pair[1].id)))
                hits.add(reason.id)
        for reason in REASONS:
            if any(_find(p, sentence, lowered, tokens) for p in reason.phrases):
                hits.add(reason.id)
        for reason_id in hits:
            found.setdefault(reason_id, " ".join(sentence.split())[:200])
    return found


CLAUSE_MARKS = frozenset("，,；;：:")


def _clauses(sentence: str) -> list[int]:
    """The clause number of every character: a cue names the subject of its own clause
    first ("系统设计深度不足，秒杀方案只讲了大概" is about design, not the flash sale)."""
    out, n = [], 0
    for ch in sentence:
        out.append(n)
        if ch in CLAUSE_MARKS:
            n += 1
    return out


def _inside(cue: tuple[int, int], subject: tuple[int, int]) -> bool:
    """A cue that is part of a subject word ("不会" inside nothing, but be safe) is no cue."""
    return subject[0] <= cue[0] and cue[1] <= subject[1]


def _terms(text: str) -> set[str]:
    cue_words = {t.text for cue in CUES for t in ta.tokens(cue)}
    return {
        t.text
        for t in ta.content_tokens(text)
        if len(t.text) > 1 and t.text not in cue_words and not t.text.isdigit()
    }


# ---------------------------------------------------------------- analysis and plan


def analyse(
    store: Store,
    bank: Bank,
    catalog: Catalog | None,
    *,
    lang: str,
    now: datetime,
    top: int = PLAN_REASONS,
) -> Analysis:
    stored = texts(store)
    counts: Counter[str] = Counter()
    mentions: dict[str, list[Mention]] = {}
    words: Counter[str] = Counter()
    unmatched = []
    for item in stored:
        found = reasons_in(item.text)
        if not found:
            unmatched.append(item.id)
        for reason_id, excerpt in found.items():
            counts[reason_id] += 1
            mentions.setdefault(reason_id, []).append(Mention(text_id=item.id, excerpt=excerpt))
        words.update(_terms(item.text))
    by_id = {r.id: r for r in REASONS}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], list(by_id).index(kv[0])))
    reasons = [
        ReasonCount(
            id=rid,
            name=by_id[rid].name[lang],
            count=n,
            dimensions=list(by_id[rid].dimensions),
            tags=list(by_id[rid].tags),
            mentions=mentions[rid],
        )
        for rid, n in ranked
    ]
    plan = [
        _plan_item(store, bank, catalog, by_id[r.id], r.count, lang=lang, now=now)
        for r in reasons[:top]
    ]
    return Analysis(
        texts=len(stored),
        reasons=reasons,
        terms=[(w, n) for w, n in words.most_common() if n >= 2][:TOP_TERMS],
        unmatched=unmatched,
        plan=plan,
    )


def _best_scores(store: Store) -> dict[str, float]:
    from gointerview.store.models import AnswerRow

    with OrmSession(store.engine) as db:
        rows = db.execute(
            select(AnswerRow.ref, func.max(AnswerRow.score))
            .where(AnswerRow.kind == "question")
            .group_by(AnswerRow.ref)
        ).tuples()
        return {ref: float(score) for ref, score in rows if score is not None}


def _plan_item(
    store: Store,
    bank: Bank,
    catalog: Catalog | None,
    reason: Reason,
    count: int,
    *,
    lang: str,
    now: datetime,
) -> PlanItem:
    """The bank questions on the reason's tags the user has not yet answered well (never
    asked, or best below 65) — the most overlapping tags first; its exercises; the review
    cards already on those tags."""
    best = _best_scores(store)
    tags = set(reason.tags)
    questions = sorted(
        (q for q in bank.questions if tags & set(q.tags) and best.get(q.id, 0.0) < 65.0),
        key=lambda q: (-len(tags & set(q.tags)), q.id in best, q.id),
    )
    exercises = [e for e in reason.exercises if catalog is None or e in catalog.exercises]
    with OrmSession(store.engine) as db:
        cards = [
            (c.id, as_utc(c.due))
            for c in db.scalars(select(CardRow).where(CardRow.suspended.is_(False)))
            if tags & set(c.topics)
        ]
    due = sum(1 for _, when in cards if when < end_of_day(now))
    ids = [q.id for q in questions[:PLAN_QUESTIONS]]
    zh = lang == "zh"
    parts = []
    if ids:
        parts.append(("题目 " if zh else "questions ") + ", ".join(ids))
    if exercises:
        parts.append(("练习 " if zh else "exercises ") + ", ".join(exercises))
    if cards:
        parts.append(
            f"复习卡 {len(cards)} 张（今天到期 {due}）"
            if zh
            else f"{len(cards)} review card(s) ({due} due today)"
        )
    sep = "；" if zh else "; "
    line = f"{reason.name[lang]} ×{count} → " + (sep.join(parts) or "—")
    return PlanItem(
        reason=reason.id,
        name=reason.name[lang],
        count=count,
        questions=ids,
        exercises=exercises,
        cards=[c for c, _ in cards],
        cards_due=due,
        line=line,
    )
