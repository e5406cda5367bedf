"""Retrospectives: a real incident told as problem / root cause / fix / verification (the
verification with its numbers), linked to bank topics by tags; exported as Markdown or JSON,
and shown as notes when an interview asks a growth (behavioural) question on the same topics.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from gointerview.errors import GointerviewError, NotFoundError
from gointerview.progress.clock import as_utc
from gointerview.progress.tables import RetrospectiveRow

if TYPE_CHECKING:
    from gointerview.bank import Bank, Question
    from gointerview.store.db import Store

MAX_FIELD = 8000
MAX_TITLE = 300
MAX_TAGS = 20
FIELDS = ("problem", "root_cause", "fix", "verification")
LABELS = {
    "zh": {
        "problem": "问题",
        "root_cause": "根因",
        "fix": "修复",
        "verification": "验证",
        "tags": "主题",
        "title": "复盘",
    },
    "en": {
        "problem": "Problem",
        "root_cause": "Root cause",
        "fix": "Fix",
        "verification": "Verification",
        "tags": "Topics",
        "title": "Retrospectives",
    },
}


class RetroInput(BaseModel):
    title: str
    problem: str
    root_cause: str
    fix: str
    verification: str
    tags: list[str] = Field(default_factory=list)

    @field_validator("title", "problem", "root_cause", "fix", "verification")
    @classmethod
    def _filled(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("is empty")
        if len(value) > MAX_FIELD:
            raise ValueError(f"has {len(value)} characters; at most {MAX_FIELD}")
        return value

    @field_validator("verification")
    @classmethod
    def _numbers(cls, value: str) -> str:
        if not re.search(r"\d", value):
            raise ValueError(
                "has no number: say what you measured before and after (e.g. p99 800 ms → 120 ms)"
            )
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        tags = list(dict.fromkeys(t.strip().lower() for t in value if t.strip()))
        if len(tags) > MAX_TAGS:
            raise ValueError(f"{len(tags)} tags; at most {MAX_TAGS}")
        return tags


class Retro(RetroInput):
    id: int
    created_at: datetime
    updated_at: datetime


def _checked(data: dict[str, object]) -> RetroInput:
    from pydantic import ValidationError

    try:
        return RetroInput.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])} {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise GointerviewError(f"retrospective: {problems}") from exc


def _model(row: RetrospectiveRow) -> Retro:
    return Retro(
        id=row.id,
        title=row.title,
        problem=row.problem,
        root_cause=row.root_cause,
        fix=row.fix,
        verification=row.verification,
        tags=list(row.tags),
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
    )


def add(store: Store, data: dict[str, object], *, now: datetime) -> Retro:
    checked = _checked(data)
    if len(checked.title) > MAX_TITLE:
        raise GointerviewError(f"retrospective: title has {len(checked.title)} characters")
    with OrmSession(store.engine) as db, db.begin():
        row = RetrospectiveRow(
            **checked.model_dump(), created_at=as_utc(now), updated_at=as_utc(now)
        )
        db.add(row)
        db.flush()
        return _model(row)


def get(store: Store, retro_id: int) -> Retro:
    with OrmSession(store.engine) as db:
        row = db.get(RetrospectiveRow, retro_id)
        if row is None:
            raise NotFoundError(f"no retrospective {retro_id} (see `gointerview retro list`)")
        return _model(row)


def remove(store: Store, retro_id: int) -> None:
    with OrmSession(store.engine) as db, db.begin():
        row = db.get(RetrospectiveRow, retro_id)
        if row is None:
            raise NotFoundError(f"no retrospective {retro_id}")
        db.delete(row)


def all_retros(store: Store, *, tag: str | None = None) -> list[Retro]:
    with OrmSession(store.engine) as db:
        rows = [
            _model(r) for r in db.scalars(select(RetrospectiveRow).order_by(RetrospectiveRow.id))
        ]
    if tag:
        rows = [r for r in rows if tag.strip().lower() in r.tags]
    return rows


def unknown_tags(bank: Bank, tags: list[str]) -> list[tuple[str, str | None]]:
    """Tags that no bank question carries, each with the closest known tag."""
    import difflib

    known = {t.lower() for q in bank.questions for t in q.tags}
    out = []
    for tag in tags:
        if tag.lower() not in known:
            close = difflib.get_close_matches(tag.lower(), known, n=1)
            out.append((tag, close[0] if close else None))
    return out


# ---------------------------------------------------------------- matching growth questions


def is_growth_question(question: Question) -> bool:
    return question.area.value == "growth" or question.type.value == "behavioral"


def matching(store: Store, question: Question, *, limit: int = 3) -> list[Retro]:
    """The user's retrospectives that fit a growth question: shared tags count double, and a
    question tag named in the retrospective's text (or a retrospective tag in the question's
    prompt) counts once. Not a growth question: none."""
    if not is_growth_question(question):
        return []
    q_tags = {t.lower() for t in question.tags}
    prompt = (question.prompt.zh + "\n" + question.prompt.en).lower()
    scored = []
    for retro in all_retros(store):
        text = " ".join([retro.title, *(getattr(retro, f) for f in FIELDS)]).lower()
        score = 2 * len(q_tags & set(retro.tags))
        score += sum(1 for t in q_tags if t.replace("-", " ") in text or t in text)
        score += sum(1 for t in retro.tags if t in prompt)
        if score:
            scored.append((score, retro))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].id))
    return [r for _, r in scored[:limit]]


# ---------------------------------------------------------------- export


def to_markdown(retros: list[Retro], lang: str) -> str:
    t = LABELS[lang]
    out = [f"# {t['title']}", ""]
    for r in retros:
        out += [f"## {r.id}. {r.title}", ""]
        if r.tags:
            out += [f"- **{t['tags']}**: " + ", ".join(f"`{tag}`" for tag in r.tags)]
        for field in FIELDS:
            body = getattr(r, field)
            out.append(f"- **{t[field]}**: " + body.replace("\n", "\n  "))
        out.append("")
    return "\n".join(out)


def to_json(retros: list[Retro]) -> str:
    return json.dumps([r.model_dump(mode="json") for r in retros], ensure_ascii=False, indent=2)


def as_note(retro: Retro, lang: str) -> str:
    """A few lines to glance at while answering: title and the four parts, shortened."""
    t = LABELS[lang]

    def short(text: str, n: int = 120) -> str:
        text = " ".join(text.split())
        return text if len(text) <= n else text[: n - 1] + "…"

    lines = [f"#{retro.id} {retro.title}"]
    lines += [f"  {t[f]}: {short(getattr(retro, f))}" for f in FIELDS]
    return "\n".join(lines)
