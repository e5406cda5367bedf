"""Interview plans: built-in rounds (content/plans.yaml) and user plan files."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gointerview.bank.schema import Ability, Area, Id, QuestionType, Text
from gointerview.bank.yamlpos import YamlParseError, parse_yaml, position, to_plain
from gointerview.errors import BankError, NotFoundError, Problem

PLANS_FILE = Path(__file__).resolve().parent.parent / "content" / "plans.yaml"

# SYLLABUS §1: the ability map of a senior technical round.
DEFAULT_WEIGHTS: dict[Ability, float] = {
    Ability.SYSTEM_DESIGN: 0.38,
    Ability.CONCURRENCY: 0.25,
    Ability.RUNTIME: 0.20,
    Ability.ENGINEERING: 0.17,
}


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id
    name: Text
    minutes: int = Field(gt=0, le=240)
    questions: int = Field(gt=0, le=30)
    types: list[QuestionType] = Field(default_factory=lambda: list(QuestionType))
    areas: list[Area] = Field(default_factory=list)  # empty: any area
    tags: list[str] = Field(default_factory=list)  # non-empty: only questions with one of these
    # at most this many questions of a type per round: a drill in a design round, not three
    max_per_type: dict[QuestionType, int] = Field(default_factory=dict)
    weights: dict[Ability, float] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    follow_ups: int = Field(default=1, ge=0, le=3)  # at most this many per question
    coding: int = Field(default=0, ge=0, le=3)  # exercises at the end of the round


class PlanFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    plans: list[Plan]


def load_plans(path: Path = PLANS_FILE) -> dict[str, Plan]:
    """Plans by id; a bad file raises BankError with every problem at its line."""
    try:
        node = parse_yaml(path, path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BankError([Problem(path, 1, 1, f"cannot read plan file: {exc}")]) from exc
    except YamlParseError as exc:
        raise BankError([exc.problem]) from exc
    try:
        data = PlanFile.model_validate(to_plain(node))
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = [s for s in err["loc"] if isinstance(s, str | int)]
            line, col = position(node, loc)
            problems.append(Problem(path, line, col, f"{'.'.join(map(str, loc))}: {err['msg']}"))
        raise BankError(problems) from exc
    return {p.id: p for p in data.plans}


def get_plan(plan_id: str, extra: Path | None = None) -> Plan:
    plans = load_plans()
    if extra is not None:
        plans.update(load_plans(extra))
    try:
        return plans[plan_id]
    except KeyError:
        raise NotFoundError(f"no plan {plan_id!r} (try `gointerview plans`)") from None
