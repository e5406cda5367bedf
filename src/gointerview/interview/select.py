"""Choosing the next question: plan weights, level, no repeats, recent history, adaptivity.

For each new question the ability with the largest shortfall against the plan's weights is
served (largest-remainder allocation over the round), then a question of that ability is drawn
with weights: level match (same level ×3, one step away ×1, further ×0.2), recently seen in
earlier sessions ×0.15, and — after a strong answer (≥ 75) — questions sharing a tag with it
×3, harder ones ×1.5: the interview goes deeper where the candidate is strong. The RNG is
seeded from the session's seed and the step number, so a session replays exactly. A plan's
`max_per_type` takes a type out of the pool once the round has asked that many of it.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection

from gointerview.bank import Bank, Question
from gointerview.bank.schema import LEVEL_ORDER, Ability, Level
from gointerview.exercises.catalog import Catalog
from gointerview.interview.engine import STRONG, Pick, Session

LEVEL_WEIGHT = {0: 3.0, 1: 1.0}
FAR_LEVEL = 0.2
RECENT = 0.15
SAME_TOPIC = 3.0
HARDER = 1.5


def rng_for(session: Session) -> random.Random:
    return random.Random(f"{session.seed}:{len(session.items)}")


def allocation(weights: dict[Ability, float], n: int) -> dict[Ability, int]:
    """Largest-remainder split of n questions by weight."""
    total = sum(w for w in weights.values() if w > 0) or 1.0
    exact = {a: n * w / total for a, w in weights.items() if w > 0}
    counts = {a: int(x) for a, x in exact.items()}
    rest = n - sum(counts.values())
    for a in sorted(exact, key=lambda a: (-(exact[a] - counts[a]), a.value))[:rest]:
        counts[a] += 1
    return counts


class Selector:
    def __init__(
        self, bank: Bank, catalog: Catalog | None, *, recently_seen: Collection[str] = ()
    ) -> None:
        self.bank = bank
        self.catalog = catalog
        self.recent = set(recently_seen)

    def __call__(self, session: Session) -> Pick | None:
        asked = [i for i in session.items if i.kind == "question"]
        if len(asked) < session.plan.questions:
            question = self._question(session, rng_for(session))
            if question is not None:
                return Pick(
                    kind="question",
                    ref=question.id,
                    prompt={"zh": question.prompt.get("zh"), "en": question.prompt.get("en")},
                )
        exercises = [i for i in session.items if i.kind == "exercise"]
        if self.catalog is not None and len(exercises) < session.plan.coding:
            return self._exercise(session, rng_for(session))
        return None

    def _pool(self, session: Session) -> list[Question]:
        plan = session.plan
        seen = {i.ref for i in session.items}
        asked_types = Counter(
            self.bank.get(i.ref).type for i in session.items if i.kind == "question"
        )
        full = {t for t, cap in plan.max_per_type.items() if asked_types[t] >= cap}
        return [
            q
            for q in self.bank.questions
            if q.id not in seen
            and q.type in plan.types
            and q.type not in full
            and (not plan.areas or q.area in plan.areas)
            and (not plan.tags or not set(plan.tags).isdisjoint(q.tags))
        ]

    def _question(self, session: Session, rng: random.Random) -> Question | None:
        pool = self._pool(session)
        if not pool:
            return None
        target = allocation(session.plan.weights, session.plan.questions)
        served: dict[Ability, int] = {}
        for item in session.items:
            if item.kind == "question":
                ability = self.bank.get(item.ref).ability
                served[ability] = served.get(ability, 0) + 1
        wanted = sorted(
            target,
            key=lambda a: (
                -(target[a] - served.get(a, 0)),
                -session.plan.weights.get(a, 0),
                a.value,
            ),
        )
        for ability in wanted:
            candidates = [q for q in pool if q.ability is ability]
            if candidates:
                return self._draw(candidates, session, rng)
        return self._draw(pool, session, rng)

    def _draw(self, candidates: list[Question], session: Session, rng: random.Random) -> Question:
        level = LEVEL_ORDER[Level(session.level)]
        last = next(
            (i for i in reversed(session.items) if i.kind == "question" and i.score is not None),
            None,
        )
        last_q = self.bank.get(last.ref) if last is not None else None
        weights = []
        for q in candidates:
            distance = abs(LEVEL_ORDER[q.level] - level)
            w = LEVEL_WEIGHT.get(distance, FAR_LEVEL)
            if q.id in self.recent:
                w *= RECENT
            if last is not None and last_q is not None and (last.score or 0) >= STRONG:
                if set(q.tags) & set(last_q.tags):
                    w *= SAME_TOPIC
                if LEVEL_ORDER[q.level] > LEVEL_ORDER[last_q.level]:
                    w *= HARDER
            weights.append(w)
        ordered = sorted(zip(candidates, weights, strict=True), key=lambda p: p[0].id)
        return rng.choices([q for q, _ in ordered], weights=[w for _, w in ordered])[0]

    def _exercise(self, session: Session, rng: random.Random) -> Pick | None:
        assert self.catalog is not None
        seen = {i.ref for i in session.items}
        level = LEVEL_ORDER[Level(session.level)]
        pool = sorted(
            (e for e in self.catalog.exercises.values() if e.id not in seen), key=lambda e: e.id
        )
        if not pool:
            return None
        weights = [
            LEVEL_WEIGHT.get(abs(LEVEL_ORDER[e.meta.level] - level), FAR_LEVEL)
            * (RECENT if e.id in self.recent else 1.0)
            for e in pool
        ]
        exercise = rng.choices(pool, weights=weights)[0]
        return Pick(
            kind="exercise",
            ref=exercise.id,
            prompt={"zh": exercise.meta.prompt.zh, "en": exercise.meta.prompt.en},
        )
