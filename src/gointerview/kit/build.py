"""The interview kit: a plan's questions for a human interviewer, in order, with time boxes,
the key points to listen for, the red flags (misconceptions), the follow-ups, and a scorecard.

Questions are chosen by the same selector a mock interview uses, driven through the session
engine with every item skipped: no answers, so no adaptivity, and the kit for seed N holds the
questions a mock interview with seed N asks before the candidate's answers steer it.

Time boxes fill the plan's minutes exactly. Exercises come first: their `time_limit_minutes`,
at most half the plan between them. The rest is shared by the questions in proportion to their
`time_minutes` (a question without one counts as an even share of the rest), so a question's
own estimate is kept when the estimates add up to the time left, and scaled with the others
when they do not. Boxes are whole minutes, rounded on the running clock so they add up.
"""

from __future__ import annotations

import math
import random
import re
from typing import Literal

from pydantic import BaseModel, Field

from gointerview.bank import Bank
from gointerview.bank.schema import Level
from gointerview.errors import GointerviewError
from gointerview.exercises.catalog import Catalog
from gointerview.interview.engine import Item, Session, Skip, Start, advance
from gointerview.interview.plans import Plan
from gointerview.interview.select import Selector
from gointerview.report.evaluate import CODING_DIMENSIONS

VERSION = 1
EXERCISE_SHARE = 0.5  # exercises take at most this share of the plan's minutes
TITLE_WIDTH = 72  # display width of a heading (a CJK character counts 2)
ASKED_AS_SHOWN = 3  # other wordings of a question printed under its prompt


class KeyPointCue(BaseModel):
    id: str
    weight: float
    wording: str
    terms: list[str]  # synonym groups, aliases separated by " | "
    required: bool = False


class RedFlag(BaseModel):
    id: str
    claim: str
    why: str


class FollowUpCue(BaseModel):
    when_missed: str | None  # the key point it probes; None: ask it whenever there is time
    text: str


class KitItem(BaseModel):
    seq: int
    kind: Literal["question", "exercise"]
    ref: str
    title: str
    prompt: str
    asked_as: list[str] = Field(default_factory=list)  # other ways to ask it
    level: str
    dimensions: list[str]
    start_minute: int
    minutes: int
    key_points: list[KeyPointCue] = Field(default_factory=list)
    red_flags: list[RedFlag] = Field(default_factory=list)
    follow_ups: list[FollowUpCue] = Field(default_factory=list)


class Kit(BaseModel):
    version: int = VERSION
    plan: str
    plan_name: str
    level: str
    lang: str
    seed: int
    minutes: int
    items: list[KitItem]


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 10**9)


def select_items(
    plan: Plan, level: Level, lang: str, seed: int, bank: Bank, catalog: Catalog | None
) -> list[Item]:
    """The items a mock interview with this seed asks when every answer is skipped."""
    session = Session(id="kit", plan=plan, level=level.value, lang=lang, seed=seed, created_at=0)
    pick = Selector(bank, catalog)
    session = advance(session, Start(), now=0.0, pick=pick)
    while session.state != "finished":
        session = advance(session, Skip(), now=0.0, pick=pick)
    return session.items


def build_kit(
    plan: Plan,
    level: Level,
    lang: str,
    seed: int | None,
    bank: Bank,
    catalog: Catalog | None,
) -> Kit:
    """The kit for a plan and level; the same seed gives the same kit (for the same bank)."""
    seed = seed if seed is not None else new_seed()
    items = select_items(plan, level, lang, seed, bank, catalog)
    if not items:
        raise GointerviewError(f"no question in the bank fits plan {plan.id!r}")
    nominal: list[float | None] = []
    limits: list[float | None] = []
    for item in items:
        if item.kind == "exercise":
            assert catalog is not None
            limits.append(float(catalog.get(item.ref).meta.time_limit_minutes))
            nominal.append(None)
        else:
            limits.append(None)
            nominal.append(bank.get(item.ref).time_minutes)
    boxes = time_boxes(plan.minutes, nominal, limits)
    out: list[KitItem] = []
    start = 0
    for n, (item, minutes) in enumerate(zip(items, boxes, strict=True), start=1):
        if item.kind == "exercise":
            assert catalog is not None
            out.append(_exercise_item(n, item.ref, catalog, lang, start, minutes))
        else:
            out.append(_question_item(n, item.ref, bank, lang, start, minutes))
        start += minutes
    return Kit(
        plan=plan.id,
        plan_name=plan.name.get(lang),
        level=level.value,
        lang=lang,
        seed=seed,
        minutes=plan.minutes,
        items=out,
    )


def time_boxes(
    total: int, question_minutes: list[float | None], exercise_limits: list[float | None]
) -> list[int]:
    """Whole-minute boxes, one per item, adding up to `total`. Item i is an exercise when
    exercise_limits[i] is set, else a question with its own estimate (or None)."""
    n_ex = sum(1 for x in exercise_limits if x is not None)
    n_q = len(exercise_limits) - n_ex
    exact: list[float] = [0.0] * len(exercise_limits)
    if n_q == 0:  # only exercises: they share the whole plan
        return _round_running([total / n_ex] * n_ex)
    cap = total * EXERCISE_SHARE / n_ex if n_ex else 0.0
    for i, limit in enumerate(exercise_limits):
        if limit is not None:
            exact[i] = min(limit, cap)
    left = total - sum(exact)
    even = left / n_q
    wanted = {
        i: (m if m is not None else even)
        for i, (m, limit) in enumerate(zip(question_minutes, exercise_limits, strict=True))
        if limit is None
    }
    scale = left / sum(wanted.values())
    for i, m in wanted.items():
        exact[i] = m * scale
    return _round_running(exact)


def _round_running(exact: list[float]) -> list[int]:
    """Round the running clock, not each box, so the boxes add up to the rounded total."""
    boxes, clock, previous = [], 0.0, 0
    for minutes in exact:
        clock += minutes
        end = math.floor(clock + 0.5)
        boxes.append(end - previous)
        previous = end
    return boxes


def _question_item(n: int, ref: str, bank: Bank, lang: str, start: int, minutes: int) -> KitItem:
    q = bank.get(ref)
    prompt = q.prompt.get(lang).strip()
    return KitItem(
        seq=n,
        kind="question",
        ref=ref,
        title=heading(prompt),
        prompt=prompt,
        asked_as=[w.get(lang) for w in q.asked_as[:ASKED_AS_SHOWN]],
        level=q.level.value,
        dimensions=[d.value for d in q.dimensions],
        start_minute=start,
        minutes=minutes,
        key_points=[
            KeyPointCue(
                id=kp.id,
                weight=kp.weight,
                wording=kp.text(lang),
                terms=list(kp.terms),
                required=kp.required,
            )
            for kp in q.key_points
        ],
        red_flags=[
            RedFlag(id=m.id, claim=m.claim.get(lang), why=m.why.get(lang)) for m in q.misconceptions
        ],
        follow_ups=[
            FollowUpCue(when_missed=f.when_missed, text=f.text(lang)) for f in q.follow_ups
        ],
    )


def _exercise_item(
    n: int, ref: str, catalog: Catalog, lang: str, start: int, minutes: int
) -> KitItem:
    """A coding exercise: the mutants (wrong variants a careless candidate writes) are its
    red flags, each with the failure the hidden tests report for it."""
    meta = catalog.get(ref).meta
    caught = "隐藏测试会判为 " if lang == "zh" else "the hidden tests report it as "
    return KitItem(
        seq=n,
        kind="exercise",
        ref=ref,
        title=meta.title.get(lang),
        prompt=meta.prompt.get(lang).strip(),
        level=meta.level.value,
        dimensions=[d.value for d in CODING_DIMENSIONS],
        start_minute=start,
        minutes=minutes,
        red_flags=[
            RedFlag(id=m.id, claim=m.description.get(lang), why=caught + m.expect.value)
            for m in meta.mutants
        ],
    )


_SENTENCE_END = re.compile(r"[。？！]|[?!.](?=\s|$)")


def width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` display columns, at a word or clause boundary, with "…"."""
    if width(text) <= limit:
        return text
    cut, used = "", 0
    for c in text:
        used += width(c)
        if used > limit - 1:
            break
        cut += c
    boundary = max(cut.rfind(p) for p in "，；、,; ")
    if boundary > len(cut) // 2:
        cut = cut[:boundary]
    cut = cut.rstrip(" ,，;；、:：")
    if cut.count("`") % 2:
        cut += "`"
    return cut + "…"


def heading(prompt: str) -> str:
    """The first line of the prompt, cut to its first sentence or TITLE_WIDTH when long;
    inline code is kept balanced so the heading still renders (and parses)."""
    line = prompt.strip().splitlines()[0].strip() if prompt.strip() else ""
    if width(line) <= TITLE_WIDTH:
        return line
    for end in _SENTENCE_END.finditer(line):  # the first sentence that says something
        if width(line[: end.end()]) > TITLE_WIDTH:
            break
        if width(line[: end.end()]) >= TITLE_WIDTH // 3:
            return line[: end.end()]
    return shorten(line, TITLE_WIDTH)
