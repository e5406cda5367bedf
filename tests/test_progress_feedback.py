"""Rejection feedback analytics on twelve feedback texts written for this test: the recurring
reasons counted per interview, mapped to dimensions and bank tags, the study plan from the top
ones; input checks (stdin, duplicates, symlinks, size)."""

from __future__ import annotations

import os
from pathlib import Path

from cli_helpers import run_cli, run_json
from conftest import DATA

TEXTS = sorted((DATA / "growth" / "feedback").glob("*.txt"))
ENV = {"GOINTERVIEW_LANG": "en"}
# what a reader finds in each text (tests/data/growth/feedback/NN.txt)
EXPECTED = {
    "01": {
        "design-depth"
    },  # 系统设计深度不足，秒杀方案只讲了大概 — about design, not the flash sale
    "02": {"design-depth"},
    "03": {"concurrency", "design-depth"},
    "04": {"runtime", "design-depth"},
    "05": {"project-depth", "troubleshooting"},
    "06": {"communication", "performance"},
    "07": {"components"},  # 系统设计这块还可以 is praise
    "08": {"design-depth", "distributed"},
    "09": {"scale", "coding"},
    "10": {"concurrency", "coding"},
    "11": {"communication", "cloud-native"},
    "12": set(),
}


def test_a_dozen_texts_give_the_expected_counts_mapping_and_plan() -> None:
    assert len(TEXTS) == 12
    for path in TEXTS:
        added = run_cli("feedback", "add", str(path), "--label", path.stem, env=ENV)
        assert added.returncode == 0, added.stderr
    result = run_json("feedback", "analyse", env=ENV)
    assert result["texts"] == 12
    counts = {r["id"]: r["count"] for r in result["reasons"]}
    expected_counts: dict[str, int] = {}
    for reasons in EXPECTED.values():
        for reason in reasons:
            expected_counts[reason] = expected_counts.get(reason, 0) + 1
    assert counts == expected_counts
    assert counts["design-depth"] == 5
    # per text: the mentions say which interviews named each reason
    labels = {t["id"]: t["label"] for t in run_json("feedback", "list", env=ENV)}
    found: dict[str, set[str]] = {stem: set() for stem in EXPECTED}
    for reason in result["reasons"]:
        for mention in reason["mentions"]:
            found[labels[mention["text_id"]]].add(reason["id"])
    assert found == EXPECTED
    assert [labels[i] for i in result["unmatched"]] == ["12"]
    # most frequent first, ties in lexicon order
    assert [r["id"] for r in result["reasons"][:4]] == [
        "design-depth",
        "concurrency",
        "coding",
        "communication",
    ]
    design = result["reasons"][0]
    assert design["name"] == "lacks depth in system design"
    assert design["dimensions"] == ["distributed_design"]
    assert "seckill" in design["tags"]
    assert {r["id"]: r["dimensions"] for r in result["reasons"]}["runtime"] == [
        "go_advanced",
        "performance",
    ]
    plan = result["plan"]
    assert len(plan) == 5 and plan[0]["reason"] == "design-depth"
    assert plan[0]["line"].startswith("lacks depth in system design ×5 → questions design.")
    assert plan[0]["exercises"] == ["token-bucket", "sliding-window"]
    assert plan[1]["exercises"] == ["worker-pool", "pipeline", "fix-data-race"]
    assert all(q.startswith(("design.", "comp.")) or "seckill" in q for q in plan[0]["questions"])
    zh = run_cli("feedback", "analyse", "--lang", "zh", env=ENV)
    assert "系统设计深度不足 ×5 → 题目 design." in zh.stdout


def test_feedback_input_is_checked(tmp_path: Path) -> None:
    import subprocess
    import sys

    text = "The candidate's system design lacked depth."
    proc = subprocess.run(
        [sys.executable, "-m", "gointerview", "feedback", "add", "-"],
        input=text,
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        check=False,
    )
    assert proc.returncode == 0 and "added #1" in proc.stdout
    again = tmp_path / "same.txt"
    again.write_text(text, encoding="utf-8")
    assert "already #1" in run_cli("feedback", "add", str(again), env=ENV).stdout
    link = tmp_path / "link.txt"
    link.symlink_to(again)
    refused = run_cli("feedback", "add", str(link), env=ENV)
    assert refused.returncode == 1 and "symbolic link" in refused.stderr
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (300 * 1024))
    assert "over" in run_cli("feedback", "add", str(big), env=ENV).stderr
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9".encode("latin-1"))
    assert "not UTF-8" in run_cli("feedback", "add", str(latin1), env=ENV).stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert "empty" in run_cli("feedback", "add", str(empty), env=ENV).stderr
    assert run_cli("feedback", "remove", "1", env=ENV).returncode == 0
    assert run_json("feedback", "list", env=ENV) == []


def test_every_reason_maps_to_real_tags_dimensions_and_exercises() -> None:
    from gointerview.bank import load_bank
    from gointerview.bank.schema import Dimension
    from gointerview.exercises.catalog import builtin_catalog
    from gointerview.progress.reasons import REASONS

    tags = {t for q in load_bank().questions for t in q.tags}
    exercises = set(builtin_catalog().exercises)
    for reason in REASONS:
        assert set(reason.tags) <= tags, (reason.id, set(reason.tags) - tags)
        assert set(reason.exercises) <= exercises, reason.id
        assert all(Dimension(d).value == d for d in reason.dimensions)  # ValueError if not
        assert reason.name["zh"] and reason.name["en"]
