"""What reaches the browser, built from the services' results.

Rubric secrecy: an item's grade (key points, misconceptions, their corrections, the
reference wording) is part of what the browser gets only once the item is graded; the item
in progress shows its prompt and nothing else. `public_session` is the only way a session
leaves the server (pages and API alike).

Grades are read defensively: a grade is a dict from the grader (or from a scorecard, or an
older version of it), so every field may be missing or of another shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gointerview.grading.text.grader import LEVEL_EN, points
from gointerview.interview.engine import Item, Session

SHOWN_STATUSES = ("graded", "skipped", "dont_know")


def public_item(item: Item, lang: str) -> dict[str, Any]:
    done = item.status in SHOWN_STATUSES
    data: dict[str, Any] = {
        "seq": item.seq,
        "kind": item.kind,
        "ref": item.ref,
        "prompt": item.prompt.get(lang) or item.prompt.get("en") or item.prompt.get("zh") or "",
        "status": item.status,
        "answer": item.answer,
        "score": item.score if done else None,
        "level": item.level if done else None,
        "grade": item.grade if item.status == "graded" else None,
    }
    return data


def progress(session: Session) -> tuple[int, int]:
    """(k, N): the main question being asked, of how many the plan holds."""
    asked = len(session.main_items())
    return asked, session.plan.questions + session.plan.coding


def public_session(session: Session, *, now: float, lang: str | None = None) -> dict[str, Any]:
    lang = lang or session.lang
    k, n = progress(session)
    current = session.current if session.state in ("awaiting_answer", "paused") else None
    if current is not None and current.status != "asked":
        current = None
    return {
        "id": session.id,
        "plan": session.plan.id,
        "plan_name": session.plan.name.get(lang),
        "level": session.level,
        "lang": session.lang,
        "state": session.state,
        "finished_reason": session.finished_reason,
        "question": k,
        "questions": n,
        "time_left_seconds": max(0, int(session.time_left(now))),
        "clock_running": session.clock_started_at is not None and session.state != "paused",
        "current": public_item(current, lang) if current is not None else None,
        "items": [public_item(i, lang) for i in session.items],
    }


# ---------------------------------------------------------------- the 点评


@dataclass(frozen=True)
class Segment:
    text: str
    mark: str | None = None  # hit | partial | wrong


@dataclass
class PointView:
    wording: str
    status: str
    quotes: list[str] = field(default_factory=list)


@dataclass
class WrongView:
    claim: str
    sentence: str
    correction: str


@dataclass
class Review:
    seq: int
    kind: str
    ref: str
    prompt: str
    score: str
    level: str
    level_en: str
    feedback: str
    answer: list[Segment]
    hit: list[PointView]
    partial: list[PointView]
    missed: list[PointView]
    wrong: list[WrongView]
    follow_up: str
    notes: list[str]
    code: dict[str, Any] | None = None
    follow_up_next: bool = False  # the engine asks that follow-up next (a weak answer)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _span(value: Any) -> tuple[int, int] | None:
    if not isinstance(value, dict):
        return None
    start, end = value.get("start"), value.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
        return start, end
    return None


def highlight(text: str, spans: list[tuple[int, int, str]]) -> list[Segment]:
    """`text` cut into segments, those inside a span marked with its kind; where spans
    overlap, wrong wins over hit, hit over partial. Offsets past the text are clipped."""
    rank = {"wrong": 3, "hit": 2, "partial": 1}
    marks: list[str | None] = [None] * len(text)
    for start, end, kind in spans:
        for i in range(max(0, start), min(len(text), end)):
            current = marks[i]
            if current is None or rank[kind] > rank[current]:
                marks[i] = kind
    segments: list[Segment] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or marks[i] != marks[start]:
            segments.append(Segment(text[start:i], marks[start]))
            start = i
    return segments


def review(item: Item, lang: str) -> Review:
    """The 点评 of a graded item."""
    grade: dict[str, Any] = item.grade if isinstance(item.grade, dict) else {}
    answer = item.answer or ""
    spans: list[tuple[int, int, str]] = []
    buckets: dict[str, list[PointView]] = {"hit": [], "partial": [], "missed": []}
    for p in _dicts(grade.get("points")):
        status = _str(p.get("status"))
        if status not in buckets:
            continue
        quotes = []
        for ev in _dicts(p.get("evidence")):
            span = _span(ev)
            if span is not None and status != "missed":
                spans.append((*span, status))
            quotes.append(_str(ev.get("text")))
        buckets[status].append(
            PointView(_str(p.get("wording")) or _str(p.get("id")), status, quotes)
        )
    wrong = []
    for m in _dicts(grade.get("misconceptions")):
        sentence = m.get("sentence")
        span = _span(sentence)
        if span is not None:
            spans.append((*span, "wrong"))
        wrong.append(
            WrongView(
                claim=_str(m.get("claim")),
                sentence=_str(sentence.get("text")) if isinstance(sentence, dict) else "",
                correction=_str(m.get("correction")),
            )
        )
    score = item.score if item.score is not None else grade.get("score")
    level = item.level or _str(grade.get("level"))
    code = grade.get("code") if isinstance(grade.get("code"), dict) else None
    return Review(
        seq=item.seq,
        kind=item.kind,
        ref=item.ref,
        prompt=first_line(item.prompt.get(lang) or item.prompt.get("en") or item.prompt.get("zh")),
        score=points(float(score)) if isinstance(score, int | float) else "—",
        level=level,
        level_en=LEVEL_EN.get(level, ""),
        feedback=_str(grade.get("feedback")),
        answer=highlight(answer, spans),
        hit=buckets["hit"],
        partial=buckets["partial"],
        missed=buckets["missed"],
        wrong=wrong,
        follow_up=_str(grade.get("follow_up")),
        notes=[n for n in grade.get("notes") or [] if isinstance(n, str)],
        code=code,
    )


def first_line(text: str | None) -> str:
    """The prompt's first line of prose (a code block after it is left out)."""
    for line in (text or "").splitlines():
        if line.strip() and not line.strip().startswith("```"):
            return line.strip()
    return ""


def graded_item(session: Session, seq: int | None) -> Item | None:
    if seq is None:
        return None
    return next((i for i in session.items if i.seq == seq and i.status == "graded"), None)


def session_review(session: Session, seq: int | None, lang: str) -> Review | None:
    """The 点评 of item `seq` of the session, if it is graded."""
    item = graded_item(session, seq)
    if item is None:
        return None
    shown = review(item, lang)
    after = next((i for i in session.items if i.seq == item.seq + 1), None)
    if after is not None and after.kind == "follow_up":  # say what is actually asked next
        shown.follow_up_next = True
        shown.follow_up = after.prompt.get(lang) or after.prompt.get("en") or shown.follow_up
    return shown
