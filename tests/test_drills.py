"""Diagnosis drills: each program, its artefact and its bank question hold together; the
grader tells right readings of an artefact from wrong ones; drills reach rounds, kits and the
report; `drill regen` rebuilds artefacts in the sandbox without changing the diagnosis."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from cli_helpers import run_cli, run_json
from conftest import DATA, GO_CACHE_DIR
from gointerview.bank import Bank, load_bank
from gointerview.bank.loader import load_paths
from gointerview.bank.schema import Level, QuestionType
from gointerview.exercises.drills import (
    DRILLS_DIR,
    Drill,
    all_drills,
    read_artefact,
    regenerate,
    select,
)
from gointerview.grading.text.grader import grade_text, related_questions
from gointerview.interview.engine import Answer
from gointerview.interview.plans import get_plan
from gointerview.interview.service import Runner, new_session
from gointerview.kit.build import build_kit
from gointerview.kit.render import to_markdown
from gointerview.report.evaluate import evaluate
from gointerview.store.db import Store

ANSWERS = DATA / "drills" / "answers.yaml"
NUMBERED = re.compile(r"^\s*(\d+)  (.*)$")  # a line of code quoted from main.go in a prompt
RIGHT, WRONG = 65.0, 30.0


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


def drill_questions(bank: Bank) -> dict[str, str]:
    """drill folder id -> the question that shows its artefact."""
    out = {}
    for q in bank.questions:
        if q.type is QuestionType.DRILL:
            assert q.artefact is not None
            folder = Path(q.artefact.file).parent.name
            assert folder not in out, f"two questions show drill {folder}"
            out[folder] = q.id
    return out


def test_at_least_ten_drills_each_with_program_script_evidence_and_question(bank: Bank) -> None:
    drills = all_drills()
    assert len(drills) >= 10
    questions = drill_questions(bank)
    assert sorted(questions) == [d.id for d in drills]
    for drill in drills:
        for name in ("main.go", "regen.sh", "evidence.txt", "artefact.txt"):
            assert (drill.folder / name).is_file(), f"{drill.id}: no {name}"
        assert drill.missing_evidence(read_artefact(drill.artefact)) == [], drill.id


def test_the_bank_shows_each_artefact_under_its_prompt(bank: Bank) -> None:
    for folder, qid in drill_questions(bank).items():
        q = bank.get(qid)
        assert q.artefact is not None
        artefact = read_artefact(DRILLS_DIR / folder / "artefact.txt").rstrip()
        for lang in ("zh", "en"):
            assert q.prompt.get(lang).endswith(f"```\n$ {q.artefact.command}\n{artefact}\n```")


def test_code_quoted_in_a_prompt_is_the_drill_program(bank: Bank) -> None:
    """A prompt's line-numbered code is main.go as it is: the artefact's file:line frames
    point at those lines, so an edit to one without the other is caught here."""
    checked = 0
    for folder, qid in drill_questions(bank).items():
        source = (DRILLS_DIR / folder / "main.go").read_text(encoding="utf-8").splitlines()
        q = bank.get(qid)
        for lang in ("zh", "en"):
            head = q.prompt.get(lang).split("\n```\n$ ")[0]  # the prompt without the artefact
            for line in head.splitlines():
                m = NUMBERED.match(line)
                if m:
                    number, code = int(m.group(1)), m.group(2).rstrip()
                    assert source[number - 1].replace("\t", "    ").rstrip() == code, (
                        f"{qid} ({lang}): line {number} is not main.go's"
                    )
                    checked += 1
    assert checked > 100


def answer_cases() -> list[dict[str, str]]:
    cases: list[dict[str, str]] = YAML(typ="safe").load(ANSWERS.read_text(encoding="utf-8"))
    return cases


def test_right_readings_pass_and_misreadings_fail(bank: Bank) -> None:
    """Answers written for this test in other words than the rubric: every right reading of an
    artefact rates at least 熟练 (65), every misreading stays below 30."""
    cases = answer_cases()
    assert {c["question"] for c in cases} == set(drill_questions(bank).values())
    failures = []
    for case in cases:
        q = bank.get(case["question"])
        grade = grade_text(q, case["answer"], related=related_questions(q, bank.questions))
        ok = grade.score >= RIGHT if case["kind"] == "right" else grade.score < WRONG
        if not ok:
            failures.append(f"{q.id} {case['kind']} {case.get('lang')}: {grade.score:.0f}")
    assert failures == []


def test_a_regenerated_artefact_is_read_fresh_through_the_bank_cache(tmp_path: Path) -> None:
    """The parse cache keys on the bank file only; the artefact is attached after it, so a
    rewritten artefact shows at once."""
    questions = tmp_path / "content" / "questions" / "engineering"
    questions.mkdir(parents=True)
    drill_dir = tmp_path / "content" / "drills" / "demo"
    drill_dir.mkdir(parents=True)
    (drill_dir / "artefact.txt").write_text("first run\n", encoding="utf-8")
    text = (DATA / "drills" / "drill-bank.yaml").read_text(encoding="utf-8")
    (questions / "drill.yaml").write_text(text, encoding="utf-8")
    first = load_paths([questions])
    assert first.problems == []
    assert first.questions[0].question.prompt.en.endswith("$ ./demo\nfirst run\n```")
    (drill_dir / "artefact.txt").write_text("second run\n", encoding="utf-8")
    second = load_paths([questions])
    assert second.questions[0].question.prompt.en.endswith("$ ./demo\nsecond run\n```")
    (drill_dir / "artefact.txt").unlink()
    missing = load_paths([questions])
    assert missing.questions == []
    assert "artefact ../../drills/demo/artefact.txt not found" in missing.problems[0].message


def test_rounds_pick_drills_where_the_plan_allows_them(bank: Bank) -> None:
    for plan_id in ("deep", "final"):
        assert QuestionType.DRILL in get_plan(plan_id).types
    assert QuestionType.DRILL not in get_plan("screen").types
    plan = get_plan("deep").model_copy(update={"coding": 0})
    drills_seen = set()
    for seed in range(1, 41):  # a kit is the round a mock interview with that seed asks
        kit = build_kit(plan, Level.SENIOR, "en", seed, bank, None)
        drills_seen |= {i.ref for i in kit.items if i.ref.startswith("eng.drill.")}
    assert len(drills_seen) >= 3  # the deep round draws drills, and not always the same one

    final = get_plan("final")
    assert final.max_per_type == {QuestionType.DRILL: 1}
    uncapped = final.model_copy(update={"max_per_type": {}})
    drills_per_round = {
        name: [
            sum(i.ref.startswith("eng.drill.") for i in kit.items)
            for seed in range(1, 21)
            for kit in [build_kit(p, Level.SENIOR, "en", seed, bank, None)]
        ]
        for name, p in (("capped", final), ("uncapped", uncapped))
    }
    assert max(drills_per_round["uncapped"]) >= 2  # without the cap drills crowd out growth
    assert max(drills_per_round["capped"]) == 1 and sum(drills_per_round["capped"]) >= 10


def test_a_kit_shows_the_artefact_and_the_report_rates_problem_analysis(
    bank: Bank, tmp_path: Path
) -> None:
    only_drills = get_plan("deep").model_copy(
        update={"types": [QuestionType.DRILL], "areas": [], "questions": 2, "coding": 0}
    )
    kit = build_kit(only_drills, Level.SENIOR, "en", 7, bank, None)
    assert [i.ref.startswith("eng.drill.") for i in kit.items] == [True, True]
    markdown = to_markdown(kit)
    for item in kit.items:
        q = bank.get(item.ref)
        assert q.artefact is not None
        first_line = read_artefact(DRILLS_DIR / Path(q.artefact.file).parent.name / "artefact.txt")
        assert f"> $ {q.artefact.command}" in markdown
        assert f"> {first_line.splitlines()[0]}".rstrip() in markdown

    right = {c["question"]: c["answer"] for c in answer_cases() if c["kind"] == "right"}
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    runner = Runner(bank=bank, catalog=None, store=store)
    session = runner.start(new_session(only_drills, level=Level.SENIOR, lang="en", seed=7, now=0))
    while session.state != "finished":
        if session.state == "awaiting_grade":
            session = runner.grade_pending(session)
            continue
        asked = session.current
        assert asked is not None
        text = right[asked.ref] if asked.kind == "question" else "I don't know"
        session = runner.apply(session, Answer(text=text))
    report = evaluate(session, bank, None)
    analysis = next(d for d in report.dimensions if d.dimension == "problem_analysis")
    assert {e.question for e in analysis.evidence} == {i.ref for i in kit.items}
    assert analysis.score is not None and analysis.score >= RIGHT


def test_drill_commands(tmp_path: Path) -> None:
    rows = run_json("drill", "list")
    assert len(rows) >= 10 and all(r["evidence"] == "ok" for r in rows)
    proc = run_cli("drill", "regen", "no-such-drill", env={"GOINTERVIEW_DATA_DIR": str(tmp_path)})
    assert proc.returncode == 1
    assert (
        proc.stderr.strip()
        .splitlines()[-1]
        .endswith("no drill 'no-such-drill' (see `gointerview drill list`)")
    )


def test_an_evidence_file_with_a_bad_pattern_is_reported_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "evidence.txt").write_text("# comment\nok\n(unclosed\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"evidence\.txt:3: bad pattern"):
        Drill("broken", folder).evidence()


needs_sandbox = pytest.mark.skipif(
    shutil.which("bwrap") is None or shutil.which("go") is None,
    reason="regenerating artefacts needs Go and bubblewrap",
)


@needs_sandbox
def test_regenerating_two_cheap_drills_keeps_their_diagnosis() -> None:
    """The real regen.sh of two drills that need no pprof, in the sandbox, with the current Go:
    the fresh artefacts still show every frame and line the rubrics quote (evidence.txt).
    Nothing is written back (write=False); the Go cache is kept between runs."""
    from gointerview.grading.code.sandbox import make_runner
    from gointerview.grading.code.toolchain import Toolchain

    goroot = Path(Toolchain.find(GO_CACHE_DIR).go_env("GOROOT")["GOROOT"])
    drills = select(["batch-all-asleep", "lock-order-deadlock"])
    before = {d.id: d.artefact.read_bytes() for d in drills}
    results = regenerate(
        drills,
        runner=make_runner(),
        go_cache=GO_CACHE_DIR / "drills-gocache",
        goroot=goroot,
        write=False,
        timeout_s=600,
    )
    assert [(r.id, r.status) for r in results if r.status not in ("changed", "unchanged")] == []
    assert {d.id: d.artefact.read_bytes() for d in drills} == before
