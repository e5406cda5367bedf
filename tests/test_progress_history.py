"""Progress over time: three interview sessions and a graded document, per dimension and per
topic, the same figures their reports give; the growth radar rated per quarter and drawn
against the previous one; Markdown, JSON and HTML (a chart per dimension)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cli_helpers import run_cli, run_json
from conftest import DATA

BANK = DATA / "growth" / "bank.yaml"
ENV = {"GOINTERVIEW_BANKS": str(BANK), "GOINTERVIEW_LANG": "en", "TZ": "UTC"}
ROUNDS = [
    {"gt.ctx.cancel": "no idea", "gt.redis.persistence": ":idk", "gt.growth.incident": ":skip"},
    {
        "gt.ctx.cancel": "Call cancel with defer; it stops the timer.",
        "gt.redis.persistence": "RDB writes a snapshot from a forked child.",
        "gt.growth.incident": ":skip",
    },
    {
        "gt.ctx.cancel": "Call cancel with defer. It stops the timer and detaches the child "
        "from its parent, and the Done channel is closed.",
        "gt.redis.persistence": "RDB writes a snapshot from a forked child. AOF appends every "
        "write command to a log; appendfsync everysec loses about a second.",
        "gt.growth.incident": ":skip",
    },
]


def run_round(tmp_path: Path, n: int, answers: dict[str, str]) -> dict[str, Any]:
    path = tmp_path / f"round{n}.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    session: dict[str, Any] = run_json(
        "interview", "--plan", "screen", "--tag", "growthtest", "--seed", str(n),
        "--answers", str(path), env=ENV,
    )  # fmt: skip
    return session


def test_progress_over_three_sessions_and_a_document(tmp_path: Path) -> None:
    sessions = [run_round(tmp_path, n, a) for n, a in enumerate(ROUNDS, start=1)]
    reports = [
        json.loads(run_cli("report", s["id"], "--format", "json", env=ENV).stdout) for s in sessions
    ]
    data = run_json("progress", env=ENV)
    assert [e["ref"] for e in data["entries"]] == [s["id"] for s in sessions]
    for entry, report in zip(data["entries"], reports, strict=True):
        assert entry["overall"] == report["overall_score"]
        assert entry["dimensions"] == {d["dimension"]: d["score"] for d in report["dimensions"]}
    dims = {s["key"]: s for s in data["dimensions"]}
    go = [p["score"] for p in dims["go_advanced"]["points"]]
    components = [p["score"] for p in dims["components"]["points"]]
    assert len(go) == 3 and go[0] < go[1] < go[2]
    assert len(components) == 3 and components[0] == 0 < components[1] < components[2]
    assert dims["go_advanced"]["change"] == round(go[2] - go[0], 1)
    assert dims["distributed_design"]["points"] == []
    topics = {t["key"]: [p["score"] for p in t["points"]] for t in data["topics"]}
    # test-bank questions are in no syllabus bullet: their topic is their area
    assert topics["components"] == components and topics["language"] == go

    # a graded document joins the history once, however often it is graded
    doc = DATA / "docs" / "notes-flat-qa.md"
    for _ in range(2):
        assert run_cli("grade", "doc", str(doc), "--json", env=ENV).returncode == 0
    entries = run_json("progress", env=ENV)["entries"]
    assert [e["source"] for e in entries] == ["session"] * 3 + ["document"]
    assert entries[-1]["label"] == "Go 面试速记（问答卡片）"

    md = run_cli("progress", env=ENV).stdout
    assert "## The five dimensions over time" in md
    trail = " → ".join(str(int(s)) for s in go)
    assert f"- **Go advanced features**: {trail}" in md


def test_growth_radar_against_the_previous_quarter(tmp_path: Path) -> None:
    assert run_cli(
        "progress", "rate", "--quarter", "2026Q3", "depth=2:read the GC source",
        "breadth=3", "engineering=3", "architecture=2", "influence=1", env=ENV,
    ).returncode == 0  # fmt: skip
    assert run_cli(
        "progress", "rate", "--quarter", "2026-q4", "深度=4:GC tuning, p99 800 ms → 120 ms",
        "breadth=3", "engineering=4", "架构能力=3", "influence=2:two internal talks", env=ENV,
    ).returncode == 0  # fmt: skip
    growth = run_json("progress", env=ENV)["growth"]
    assert growth["quarter"] == "2026Q4" and growth["previous_quarter"] == "2026Q3"
    axes = {a["axis"]: a for a in growth["axes"]}
    assert (axes["depth"]["score"], axes["depth"]["previous_score"]) == (4, 2)
    assert axes["depth"]["evidence"] == "GC tuning, p99 800 ms → 120 ms"
    assert axes["depth"]["previous_evidence"] == "read the GC source"
    assert [a["axis"] for a in growth["axes"]] == [
        "depth", "breadth", "engineering", "architecture", "influence",
    ]  # fmt: skip
    earlier = run_json("progress", "--quarter", "2026Q3", env=ENV)["growth"]
    assert earlier["previous_quarter"] is None and earlier["axes"][0]["score"] == 2

    out = tmp_path / "progress.html"
    assert run_cli("progress", "--format", "html", "-o", str(out), env=ENV).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert page.count('class="chart"') == 5  # one chart per dimension
    assert 'id="growth-radar"' in page and 'class="previous"' in page
    assert "GC tuning, p99 800 ms → 120 ms" in page

    for bad, message in [
        (["depth=7"], "not 1–5"),
        (["speed=3"], "unknown growth axis"),
        (["depth"], "AXIS=SCORE"),
    ]:
        proc = run_cli("progress", "rate", "--quarter", "2026Q4", *bad, env=ENV)
        assert proc.returncode == 1 and message in proc.stderr
    proc = run_cli("progress", "rate", "--quarter", "Q4-2026", "depth=3", env=ENV)
    assert proc.returncode == 1 and "YYYYQn" in proc.stderr
