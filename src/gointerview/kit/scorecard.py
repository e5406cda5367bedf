"""Read a filled-in kit back and turn it into the evaluation report.

Scoring rules (docs/kit.md), per item:
  1. a number written on the Score line (0–100) is the score;
  2. otherwise a ticked level stands for a representative score: 精通 92, 熟练 75, 了解 52,
     欠缺 20 (each maps back to its own level: the bars are 85 / 65 / 40);
  3. otherwise the ticked key points give 100 × ticked weight / total weight;
  4. an item with nothing filled in (no box ticked, no number) was not asked: it is left out.
`--set N=SCORE|LEVEL` enters a score for item N as if written on its Score line, and wins over
the file. Ticked key points are the evidence's `hit` and unticked ones `missed` — as long as
the interviewer ticked any key point of the item: a score given with no key point ticked says
nothing about which were said, and the report then lists none. Ticked red flags are the
evidence's misconceptions. The report is `report.evaluate.assemble`'s, as for a session.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gointerview.bank import Bank
from gointerview.bank.schema import Dimension, Level
from gointerview.errors import GointerviewError
from gointerview.exercises.catalog import Catalog
from gointerview.kit.build import heading
from gointerview.levels import LEVEL_EN, level_for, points
from gointerview.options import numbered
from gointerview.report.evaluate import (
    CODING_DIMENSIONS,
    DIMENSION_NAMES,
    NOT_ENOUGH,
    Evidence,
    Report,
    Scored,
    assemble,
)

LEVEL_SCORE = {"精通": 92.0, "熟练": 75.0, "了解": 52.0, "欠缺": 20.0}
LEVEL_NAMES = {**{zh: zh for zh in LEVEL_SCORE}, **{en: zh for zh, en in LEVEL_EN.items()}}
TICKED = {"x", "X", "✓", "✔", "√", "☒", "☑"}

_MARKER = re.compile(r"<!--\s*gointerview-kit\s+v(\d+)\s+(.*?)\s*-->")
ITEM_HEADING = re.compile(r"^###\s+(\d+)\.\s.*`([^`\s]+)`\s*$")
ITEM_LIKE = re.compile(r"^###\s+\d+\.\s")
SECTION_HEADING = re.compile(r"^#{1,3}\s")
_BOX = r"\[\s*([^\]\s]?)\s*\]"
CUE_LINE = re.compile(r"^\s*[-*+]\s*" + _BOX + r".*<!--\s*(kp|mc):(\S+)\s*-->\s*$")
_CUE_LOOSE = re.compile(r"<!--\s*(kp|mc):(\S+)\s*-->")
_DIM = re.compile(r"<!--\s*dim:(\S+)\s*-->")
SCORE_LINE = re.compile(r"^\s*\*\*(?:评分|Score)\*\*\s*[:：](.*)$")
_LEVEL_BOX = re.compile(_BOX + r"\s*(" + "|".join(LEVEL_NAMES) + r")")
_NUMBER = re.compile(r"0\s*[–—-]\s*100\s*[:：](.*)$")
_VALUE = re.compile(r"^(\d{1,3}(?:\.\d+)?)\s*(?:/\s*100|分)?$")
_CANDIDATE = re.compile(r"\*\*(?:候选人|Candidate)\*\*\s*[:：]\s*([^·\n]*)")


_Problem = Callable[[int, str], None]  # report a problem at a line of the file


class KitError(GointerviewError):
    """A filled-in kit that cannot be read; one `file:line: message` per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class FilledItem:
    seq: int
    ref: str
    kind: str  # question | exercise
    line: int
    score: float | None = None
    source: str | None = None  # number | level | points | set
    ticked_points: list[str] = field(default_factory=list)
    red_flags: list[str] = field(default_factory=list)

    @property
    def asked(self) -> bool:
        return self.score is not None


@dataclass
class FilledKit:
    path: Path
    plan: str
    level: str
    lang: str
    seed: int
    candidate: str
    items: list[FilledItem]
    dimensions: dict[str, str]  # the interviewer's own ticks on the overall scorecard


def level_name(value: str) -> str | None:
    """精通/熟练/了解/欠缺 for a level name in either language, else None."""
    return LEVEL_NAMES.get(value.strip().lower() if value.isascii() else value.strip())


def parse(path: Path, text: str, bank: Bank, catalog: Catalog | None) -> FilledKit:
    """A filled-in kit; every problem in it is reported at its line."""
    problems: list[str] = []

    def problem(line: int, message: str) -> None:
        problems.append(f"{path}:{line}: {message}")

    lines = text.splitlines()
    meta: dict[str, str] = {}
    marker_line = 0
    for n, line in enumerate(lines, start=1):
        m = _MARKER.search(line)
        if m:
            if m.group(1) != "1":
                problem(n, f"kit format v{m.group(1)} is not supported (this version reads v1)")
            meta = dict(kv.split("=", 1) for kv in m.group(2).split() if "=" in kv)
            marker_line = n
            break
    if not marker_line:
        raise KitError(
            [
                f"{path}:1: not a gointerview kit: the marker line "
                "`<!-- gointerview-kit v1 plan=… level=… seed=… lang=… -->` is missing"
            ]
        )
    for key in ("plan", "level", "seed", "lang"):
        if key not in meta:
            problem(marker_line, f"the kit marker has no {key}=")
    if meta.get("level", "senior") not in {lv.value for lv in Level}:
        problem(marker_line, f"unknown level {meta['level']!r} in the kit marker")
    if meta.get("lang", "zh") not in ("zh", "en"):
        problem(marker_line, f"lang must be zh or en in the kit marker, not {meta['lang']!r}")
    if not meta.get("seed", "0").isdigit():
        problem(marker_line, f"seed must be a number in the kit marker, not {meta['seed']!r}")

    items: list[FilledItem] = []
    dims: dict[str, str] = {}
    candidate = ""
    current: FilledItem | None = None
    points: dict[str, float] = {}  # the current question's key points and weights
    flags: set[str] = set()
    score_lines = 0
    unreadable = False
    for n, line in enumerate(lines, start=1):
        if line.startswith(">"):  # the quoted prompt: never markup
            continue
        found = _CANDIDATE.search(line)
        if found and not candidate:
            candidate = found.group(1).strip().strip("_").strip()
        head = ITEM_HEADING.match(line)
        if head:
            if current is not None:
                _finish(current, points, score_lines, problem)
            seq, ref = int(head.group(1)), head.group(2)
            current, points, flags, score_lines = None, {}, set(), 0
            if any(i.seq == seq for i in items):
                problem(n, f"item {seq} appears twice")
            if ref in {q.id for q in bank.questions}:
                q = bank.get(ref)
                points = {kp.id: kp.weight for kp in q.key_points}
                flags = {m.id for m in q.misconceptions}
                current = FilledItem(seq=seq, ref=ref, kind="question", line=n)
            elif catalog is not None and ref in catalog.exercises:
                flags = {m.id for m in catalog.get(ref).meta.mutants}
                current = FilledItem(seq=seq, ref=ref, kind="exercise", line=n)
            else:
                problem(n, f"`{ref}` is not a question in the bank or an exercise")
                unreadable = True
                continue
            unreadable = False
            items.append(current)
            continue
        if ITEM_LIKE.match(line):
            problem(n, "an item heading needs its id in backticks at the end: ### N. … `id`")
        if SECTION_HEADING.match(line):
            if current is not None:
                _finish(current, points, score_lines, problem)
            current, unreadable = None, ITEM_LIKE.match(line) is not None
            continue
        if unreadable:  # the rest of an item already reported
            continue
        dim = _DIM.search(line)
        if dim is not None:
            _dimension_line(line, dim.group(1), n, dims, problem)
            continue
        cue = CUE_LINE.match(line)
        if cue is None and _CUE_LOOSE.search(line):
            problem(n, "cannot find the checkbox on this line: it goes right after the dash")
            continue
        if cue is not None:
            mark, tag, ident = cue.groups()
            ticked = _ticked(mark, n, problem)
            if current is None:
                problem(n, f"{tag}:{ident} is outside a question")
                continue
            if tag == "kp":
                if ident not in points:
                    problem(n, f"`{ident}` is not a key point of {current.ref}")
                elif ticked:
                    current.ticked_points.append(ident)
            elif ident not in flags:
                problem(n, f"`{ident}` is not a red flag of {current.ref}")
            elif ticked:
                current.red_flags.append(ident)
            continue
        score = SCORE_LINE.match(line)
        if score is not None and current is not None:
            score_lines += 1
            _score_line(current, score.group(1), n, problem)
    if current is not None:
        _finish(current, points, score_lines, problem)
    if problems:
        raise KitError(problems)
    return FilledKit(
        path=path,
        plan=meta["plan"],
        level=meta["level"],
        lang=meta["lang"],
        seed=int(meta["seed"]),
        candidate=candidate,
        items=items,
        dimensions=dims,
    )


def _ticked(mark: str, line: int, problem: _Problem) -> bool:
    if mark and mark not in TICKED:
        problem(line, f"cannot read the box marked {mark!r}: leave it empty or put an x in it")
    return bool(mark) and mark in TICKED


def _score_line(item: FilledItem, rest: str, line: int, problem: _Problem) -> None:
    ticked = []
    for mark, name in _LEVEL_BOX.findall(rest):
        if _ticked(mark, line, problem):
            ticked.append(LEVEL_NAMES[name])
    if len(ticked) > 1:
        problem(
            line, f"item {item.seq}: {len(ticked)} levels ticked ({', '.join(ticked)}); tick one"
        )
    number = _NUMBER.search(rest)
    written = number.group(1).replace("_", "").replace("*", "").strip() if number else ""
    if written:
        value = _VALUE.match(written)
        score = float(value.group(1)) if value else None
        if score is None or score > 100:
            problem(line, f"item {item.seq}: {written!r} is not a score from 0 to 100")
            return
        item.score, item.source = score, "number"
    elif len(ticked) == 1:
        item.score, item.source = LEVEL_SCORE[ticked[0]], "level"


def _finish(
    item: FilledItem, points: dict[str, float], score_lines: int, problem: _Problem
) -> None:
    if score_lines == 0:
        problem(item.line, f"item {item.seq} has no **Score** line")
    if score_lines > 1:
        problem(item.line, f"item {item.seq} has {score_lines} **Score** lines")
    if item.score is None and (item.ticked_points or item.red_flags):
        total = sum(points.values())
        ticked = sum(points[p] for p in item.ticked_points)
        item.score = round(100 * ticked / total, 1) if total else 0.0
        item.source = "points"


def _dimension_line(line: str, ident: str, n: int, dims: dict[str, str], problem: _Problem) -> None:
    if ident not in {d.value for d in Dimension}:
        problem(n, f"`{ident}` is not one of the five dimensions")
        return
    ticked = [
        LEVEL_NAMES[name] for mark, name in _LEVEL_BOX.findall(line) if _ticked(mark, n, problem)
    ]
    if len(ticked) > 1:
        problem(n, f"{len(ticked)} levels ticked for {ident}; tick one")
    elif ticked:
        dims[ident] = ticked[0]


def apply_sets(kit: FilledKit, sets: list[str]) -> FilledKit:
    """`--set N=SCORE|LEVEL`: item N's score, as if written on its Score line."""
    by_seq = {i.seq: i for i in kit.items}
    for raw in sets:
        seq, value = numbered(raw, f"--set {raw}", "N=SCORE or N=LEVEL, e.g. 3=80 or 3=熟练")
        if seq not in by_seq:
            have = ", ".join(str(s) for s in sorted(by_seq)) or "none"
            raise GointerviewError(f"--set {raw}: the kit has no item {seq} (items: {have})")
        item = by_seq[seq]
        level = level_name(value)
        if level is not None:
            item.score, item.source = LEVEL_SCORE[level], "set"
            continue
        match = _VALUE.match(value.strip())
        if match is None or float(match.group(1)) > 100:
            raise GointerviewError(
                f"--set {raw}: {value!r} is neither a score 0–100 nor a level "
                "(精通 熟练 了解 欠缺 / expert proficient familiar lacking)"
            )
        item.score, item.source = float(match.group(1)), "set"
    return kit


def to_scored(kit: FilledKit, bank: Bank, catalog: Catalog | None, lang: str) -> list[Scored]:
    out: list[Scored] = []
    for item in kit.items:
        if item.score is None:
            continue
        if item.kind == "exercise":
            assert catalog is not None
            meta = catalog.get(item.ref).meta
            claims = {m.id: m.description.get(lang) for m in meta.mutants}
            evidence = Evidence(
                question=item.ref,
                kind="exercise",
                prompt=meta.title.get(lang)[:160],
                score=round(item.score, 1),
                level=level_for(item.score),
                misconceptions=[claims[f] for f in item.red_flags],
            )
            out.append(Scored(evidence, CODING_DIMENSIONS))
            continue
        q = bank.get(item.ref)
        # unticked points count as missed only when the key points are the evidence
        detail = bool(item.ticked_points) or item.source == "points"
        by_id = {m.id: m.claim.get(lang) for m in q.misconceptions}
        evidence = Evidence(
            question=item.ref,
            kind="question",
            prompt=heading(q.prompt.get(lang))[:160],
            score=round(item.score, 1),
            level=level_for(item.score),
            hit=[kp.text(lang) for kp in q.key_points if kp.id in item.ticked_points],
            missed=[
                kp.text(lang) for kp in q.key_points if detail and kp.id not in item.ticked_points
            ],
            misconceptions=[by_id[f] for f in item.red_flags],
        )
        out.append(Scored(evidence, tuple(q.dimensions)))
    return out


def report(kit: FilledKit, bank: Bank, catalog: Catalog | None, lang: str = "") -> Report:
    """The evaluation report of a filled-in kit, exactly as `gointerview report` builds it."""
    lang = lang or kit.lang
    scored = to_scored(kit, bank, catalog, lang)
    ident = kit.candidate or f"kit {kit.plan} seed {kit.seed}"
    return assemble(
        scored,
        ident=ident,
        plan=kit.plan,
        level=kit.level,
        lang=lang,
        asked=len(scored),
        seen={i.ref for i in kit.items if i.asked},
        bank=bank,
        catalog=catalog,
    )


def disagreements(kit: FilledKit, result: Report) -> list[str]:
    """Where the interviewer's overall ticks differ from the ratings the scores give."""
    notes = []
    zh = result.lang == "zh"
    for d in result.dimensions:
        mine = kit.dimensions.get(d.dimension)
        if mine is None or mine == d.rating:
            continue
        name = DIMENSION_NAMES[Dimension(d.dimension)][result.lang]
        if d.rating == NOT_ENOUGH:
            computed = "但没有打了分的题考察它" if zh else "but no scored item probes it"
        elif zh:
            computed = f"按各题分数是{d.rating}（{points(d.score or 0.0)}）"
        else:
            computed = f"the scored items give {d.rating_en} ({points(d.score or 0.0)})"
        notes.append(
            f"{name}：你勾了{mine}，{computed}"
            if zh
            else f"{name}: you ticked {LEVEL_EN[mine]}, {computed}"
        )
    return notes


def load(path: Path, bank: Bank, catalog: Catalog | None) -> FilledKit:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GointerviewError(f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise GointerviewError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    return parse(path, text, bank, catalog)
