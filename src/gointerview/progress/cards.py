"""Review cards from what an answer missed: one card per key point missed or only partly
covered, one per misconception stated; from interviews (hook after each grade, and a
catch-up over stored sessions), `grade answer`, kit scorecards and graded documents.

A card is keyed by what it asks (`<question>#kp:<point>`, `<question>#fu<n>:<point>` for a
follow-up's own point, `<question>#mc:<misconception>`), so missing the same point again does
not add a second card: it counts the miss and brings the card back to tomorrow if it was
scheduled later. An :idk answer missed every point of what it was asked; a :skip records
nothing (the question was passed, not failed). Coding exercises make no cards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from gointerview.bank import Bank, Question
from gointerview.bank.schema import Misconception, split_aliases
from gointerview.errors import NotFoundError
from gointerview.grading.text.rubric import RubricPoint, derive, from_question
from gointerview.progress.clock import as_utc, end_of_day
from gointerview.progress.prompts import misconception_prompt, point_prompt
from gointerview.progress.tables import CardRow, CardSourceRow

if TYPE_CHECKING:
    from gointerview.docimport.grade import DocReport
    from gointerview.docimport.parse import ParsedDoc
    from gointerview.grading.text.grader import TextGrade
    from gointerview.interview.engine import Item, Session
    from gointerview.kit.scorecard import FilledKit
    from gointerview.store.db import Store

SourceKind = Literal["interview", "answer", "kit", "document"]
CARD_STATUSES = ("missed", "partial")  # a point at these statuses becomes a card
LEARNING = 1  # fsrs.State.Learning: a new card


class CardSpec(BaseModel):
    """What a card asks and how its answer is graded, before it is stored."""

    key: str
    question_id: str
    kind: Literal["point", "misconception"]
    point_id: str
    follow_up: int | None = None
    prompt: dict[str, str]
    answer: dict[str, str]  # the back of the card: the point, or the correction
    rubric: dict[str, Any]  # snapshot for grading when the bank no longer has the question
    topics: list[str] = Field(default_factory=list)


class Recorded(BaseModel):
    created: list[int] = Field(default_factory=list)  # card ids
    missed_again: list[int] = Field(default_factory=list)


# ---------------------------------------------------------------- specs from the bank


def _texts(en: str, zh: str) -> dict[str, str]:
    return {lang: text for lang, text in (("en", en), ("zh", zh)) if text}


def _point_snapshot(point: RubricPoint) -> dict[str, Any]:
    return {
        "id": point.id,
        "weight": point.weight,
        "text": dict(point.text),
        "groups": [list(g) for g in point.groups],
        "required": point.required,
    }


def point_card(
    question: Question, point_id: str, *, follow_up: int | None = None
) -> CardSpec | None:
    """The card for one key point of `question` (or of its follow-up `follow_up` when that
    follow-up has its own key points); None when there is no such point."""
    prompt_q = _texts(question.prompt.en, question.prompt.zh)
    if follow_up is not None and follow_up < len(question.follow_ups):
        f = question.follow_ups[follow_up]
        kp = next((k for k in f.key_points if k.id == point_id), None)
        if kp is not None and f.answer is not None:
            groups = kp.alias_groups()
            point = RubricPoint(kp.id, kp.weight, _texts(kp.en, kp.zh), tuple(map(tuple, groups)))
            ask = _texts(f.en, f.zh) if len(f.key_points) == 1 else None
            return CardSpec(
                key=f"{question.id}#fu{follow_up}:{kp.id}",
                question_id=question.id,
                kind="point",
                point_id=kp.id,
                follow_up=follow_up,
                prompt=point_prompt(
                    question=_texts(f.en, f.zh), wording=point.text, groups=groups, follow_up=ask
                ),
                answer=point.text,
                rubric={
                    "origin": "bank",
                    "question": _texts(f.en, f.zh),
                    "reference": _texts(f.answer.en, f.answer.zh),
                    "point": _point_snapshot(point),
                },
                topics=list(question.tags),
            )
    rubric = from_question(question)
    rpoint = next((p for p in rubric.points if p.id == point_id), None)
    if rpoint is None:
        return None
    asking = next((f for f in question.follow_ups if f.when_missed == point_id), None)
    return CardSpec(
        key=f"{question.id}#kp:{point_id}",
        question_id=question.id,
        kind="point",
        point_id=point_id,
        prompt=point_prompt(
            question=prompt_q,
            wording=rpoint.text,
            groups=rpoint.groups,
            follow_up=_texts(asking.en, asking.zh) if asking else None,
        ),
        answer=dict(rpoint.text),
        rubric={
            "origin": rubric.origin,
            "question": prompt_q,
            "reference": dict(rubric.reference),
            "point": _point_snapshot(rpoint),
        },
        topics=list(question.tags),
    )


def _owner(bank: Bank, question: Question, mc_id: str) -> tuple[Question, Misconception] | None:
    """The question a misconception belongs to: this one, else one sharing a tag with it
    (the grader checks related questions' misconceptions too), else any."""
    tags = {t.lower() for t in question.tags}
    candidates = [
        question,
        *sorted(
            (q for q in bank.questions if q.id != question.id),
            key=lambda q: not tags & {t.lower() for t in q.tags},
        ),
    ]
    for q in candidates:
        for m in q.misconceptions:
            if m.id == mc_id:
                return q, m
    return None


def misconception_card(bank: Bank, question: Question, mc_id: str) -> CardSpec | None:
    found = _owner(bank, question, mc_id)
    if found is None:
        return None
    owner, m = found
    claim, why = _texts(m.claim.en, m.claim.zh), _texts(m.why.en, m.why.zh)
    return CardSpec(
        key=f"{owner.id}#mc:{m.id}",
        question_id=owner.id,
        kind="misconception",
        point_id=m.id,
        prompt=misconception_prompt(claim),
        answer=why,
        rubric={
            "origin": "derived",
            "question": claim,
            "reference": why,
            "misconception": {
                "id": m.id,
                "claim": claim,
                "why": why,
                "groups": [split_aliases(g) for g in m.detect],
            },
        },
        topics=list(owner.tags),
    )


def _dedup(specs: Iterable[CardSpec | None]) -> list[CardSpec]:
    out: dict[str, CardSpec] = {}
    for spec in specs:
        if spec is not None:
            out.setdefault(spec.key, spec)
    return list(out.values())


def specs_from_points(
    bank: Bank,
    question: Question,
    points: Sequence[dict[str, Any]],
    misconceptions: Sequence[str],
    *,
    follow_up: int | None = None,
) -> list[CardSpec]:
    """Cards for the points of a grade (`{"id", "status"}` dicts) that were missed or only
    partly covered, and for the misconceptions (ids) stated."""
    return _dedup(
        [
            *(
                point_card(question, str(p.get("id")), follow_up=follow_up)
                for p in points
                if p.get("status") in CARD_STATUSES
            ),
            *(misconception_card(bank, question, mc) for mc in misconceptions),
        ]
    )


def specs_from_grade(bank: Bank, question: Question, grade: TextGrade) -> list[CardSpec]:
    """`gointerview grade answer`: the grade of an answer to a bank question."""
    return specs_from_points(
        bank,
        question,
        [p.model_dump() for p in grade.points],
        [m.id for m in grade.misconceptions],
    )


def _own_points(question: Question, index: int | None) -> bool:
    if index is None or index >= len(question.follow_ups):
        return False
    f = question.follow_ups[index]
    return bool(f.key_points) and f.answer is not None


def specs_from_item(bank: Bank, item: Item) -> list[CardSpec]:
    """Cards for one interview item once it is graded or answered :idk."""
    from gointerview.interview.service import follow_up_index

    if item.kind not in ("question", "follow_up") or item.status not in ("graded", "dont_know"):
        return []
    try:
        question = bank.get(item.ref)
    except NotFoundError:  # a question of a user bank since removed
        return []
    index = follow_up_index(question, item) if item.kind == "follow_up" else None
    own = _own_points(question, index)
    if item.status == "dont_know":
        if item.kind == "question":
            ids = [p.id for p in from_question(question).points]
        elif own and index is not None:
            ids = [kp.id for kp in question.follow_ups[index].key_points]
        else:  # a follow-up on one of the parent's points
            ids = [item.target_point] if item.target_point else []
        points = [{"id": i, "status": "missed"} for i in ids]
        return specs_from_points(bank, question, points, [], follow_up=index if own else None)
    grade = item.grade or {}
    return specs_from_points(
        bank,
        question,
        list(grade.get("points", [])),
        [str(m.get("id")) for m in grade.get("misconceptions", [])],
        follow_up=index if own else None,
    )


def specs_from_kit(bank: Bank, kit: FilledKit) -> list[CardSpec]:
    """A scored kit: unticked key points (when the interviewer ticked any of that item, as
    the report reads them) and ticked red flags."""
    specs: list[CardSpec] = []
    for item in kit.items:
        if item.score is None or item.kind != "question":
            continue
        try:
            question = bank.get(item.ref)
        except NotFoundError:
            continue
        detail = bool(item.ticked_points) or item.source == "points"
        missed = [
            {"id": kp.id, "status": "missed"}
            for kp in question.key_points
            if detail and kp.id not in item.ticked_points
        ]
        specs += specs_from_points(bank, question, missed, item.red_flags)
    return _dedup(specs)


def specs_from_document(bank: Bank, parsed: ParsedDoc, graded: DocReport) -> list[CardSpec]:
    """A graded document: missed points of answers graded with a bank question (matched back
    by their wording), and of answers graded against the document's own reference answer
    (the same derived rubric, snapshotted in the card)."""
    from gointerview.docimport.match import query_text
    from gointerview.grading.text import analysis as ta

    by_index = {q.index: q for q in parsed.questions}
    specs: list[CardSpec] = []
    for item in graded.items:
        if item.score is None:
            continue
        if item.graded_by == "bank" and item.bank_question:
            question = bank.get(item.bank_question)
            wording = {w.strip() for w in item.missed}
            missed = [
                {"id": kp.id, "status": "missed"}
                for kp in question.key_points
                if kp.zh.strip() in wording or kp.en.strip() in wording
            ]
            claims = {c.strip() for c in item.misconceptions}
            mcs = [
                m.id
                for q in [question, *bank.questions]
                for m in q.misconceptions
                if m.claim.zh.strip() in claims or m.claim.en.strip() in claims
            ]
            specs += specs_from_points(bank, question, missed, list(dict.fromkeys(mcs)))
        elif item.graded_by == "reference" and item.index in by_index:
            doc_q = by_index[item.index]
            reference = doc_q.reference or ""
            ask = query_text(doc_q)
            rubric = derive(question=ask, reference={ta.language_of(reference): reference})
            digest = hashlib.sha256((ask + "\n" + reference).encode()).hexdigest()[:16]
            for point in rubric.points:
                if point.wording(ta.language_of(reference)) not in item.missed:
                    continue
                question_text = {ta.language_of(ask): doc_q.title}
                specs.append(
                    CardSpec(
                        key=f"doc:{digest}#{point.id}",
                        question_id=f"doc:{digest}",
                        kind="point",
                        point_id=point.id,
                        prompt=point_prompt(
                            question=question_text, wording=point.text, groups=point.groups
                        ),
                        answer=dict(point.text),
                        rubric={
                            "origin": "derived",
                            "question": question_text,
                            "reference": dict(point.text),
                            "point": _point_snapshot(point),
                        },
                        topics=[],
                    )
                )
    return _dedup(specs)


# ---------------------------------------------------------------- storing


def _add(
    db: OrmSession, spec: CardSpec, source: tuple[str, str], now: datetime
) -> tuple[int, bool]:
    """The card's id, and whether it is new."""
    row = db.scalars(select(CardRow).where(CardRow.key == spec.key)).first()
    tomorrow = end_of_day(now)
    if row is not None:
        row.misses += 1
        row.last_missed_at = now
        if as_utc(row.due) > tomorrow:  # missed again: back in the queue tomorrow
            row.due = tomorrow
        return row.id, False
    row = CardRow(
        key=spec.key,
        question_id=spec.question_id,
        kind=spec.kind,
        point_id=spec.point_id,
        follow_up=spec.follow_up,
        prompt=spec.prompt,
        answer=spec.answer,
        rubric=spec.rubric,
        topics=spec.topics,
        source_kind=source[0],
        source_ref=source[1][:200],
        created_at=now,
        misses=1,
        last_missed_at=now,
        suspended=False,
        state=LEARNING,
        step=0,
        stability=None,
        difficulty=None,
        due=tomorrow,
        last_review=None,
    )
    db.add(row)
    db.flush()
    return row.id, True


def record(
    store: Store,
    specs: Sequence[CardSpec],
    *,
    source_kind: SourceKind,
    source_ref: str,
    now: datetime,
    seq: int | None = None,
) -> Recorded:
    """Store the cards in one transaction. With `seq`, (source, seq) is recorded once only:
    a second call for the same answer changes nothing."""
    now = as_utc(now)
    out = Recorded()
    with OrmSession(store.engine) as db, db.begin():
        if seq is not None:
            marker = (source_kind, source_ref[:200], seq)
            if db.get(CardSourceRow, marker) is not None:
                return out
            db.add(
                CardSourceRow(
                    source_kind=source_kind, source_ref=marker[1], seq=seq, recorded_at=now
                )
            )
        for spec in specs:
            card_id, new = _add(db, spec, (source_kind, source_ref), now)
            (out.created if new else out.missed_again).append(card_id)
    return out


def record_session_item(
    store: Store, bank: Bank, session: Session, seq: int, *, now: datetime
) -> Recorded:
    """The hook after an interview step: cards for item `seq` if it is graded or :idk."""
    item = next((i for i in session.items if i.seq == seq), None)
    if item is None or item.status not in ("graded", "dont_know"):
        return Recorded()
    return record(
        store,
        specs_from_item(bank, item),
        source_kind="interview",
        source_ref=session.id,
        seq=seq,
        now=now,
    )


def sync_sessions(store: Store, bank: Bank, *, now: datetime) -> Recorded:
    """Catch up on stored sessions: every graded or :idk item not yet turned into cards
    (answers graded before a crash, sessions run before this feature, other front ends)."""
    from gointerview.interview.engine import Session
    from gointerview.store.models import AnswerRow, SessionRow

    with OrmSession(store.engine) as db:
        done = set(
            db.execute(
                select(CardSourceRow.source_ref, CardSourceRow.seq).where(
                    CardSourceRow.source_kind == "interview"
                )
            ).tuples()
        )
        pending = [
            (sid, seq)
            for sid, seq in db.execute(
                select(AnswerRow.session_id, AnswerRow.seq).where(
                    AnswerRow.status.in_(("graded", "dont_know"))
                )
            ).tuples()
            if (sid, seq) not in done
        ]
        snapshots = {
            row.id: row.snapshot
            for row in db.scalars(
                select(SessionRow).where(SessionRow.id.in_({sid for sid, _ in pending}))
            )
        }
    out = Recorded()
    for sid, seq in sorted(pending):
        session = Session.model_validate(snapshots[sid])
        item = next((i for i in session.items if i.seq == seq), None)
        when = now if item is None or item.answered_at is None else _from_ts(item.answered_at)
        got = record_session_item(store, bank, session, seq, now=min(as_utc(now), when))
        out.created += got.created
        out.missed_again += got.missed_again
    return out


def _from_ts(ts: float) -> datetime:
    from datetime import UTC

    return datetime.fromtimestamp(ts, tz=UTC)
