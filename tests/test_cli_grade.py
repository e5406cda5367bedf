"""`gointerview grade ...` and `gointerview benchmark grading`, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import run_cli, run_json
from gointerview.grading.text.benchmark import default_data_dir


def test_grade_answer_json_and_text(tmp_path: Path) -> None:
    answer = "GOMAXPROCS 是 P 的数量，不是线程数；M 是操作系统线程，必须持有 P 才能运行 Go 代码。"
    data = run_json("grade", "answer", "-q", "rt.sched.gmp-roles", "-a", answer)
    assert data["lang"] == "zh" and 0 <= data["score"] <= 100
    hit = [p for p in data["points"] if p["status"] != "missed"]
    assert hit and all(
        answer[e["start"] : e["end"]] == e["text"] for p in hit for e in p["evidence"]
    )
    f = tmp_path / "a.txt"
    f.write_text(answer, encoding="utf-8")
    text = run_cli("grade", "answer", "-q", "rt.sched.gmp-roles", "-f", str(f))
    assert text.returncode == 0 and "点评" in text.stdout and "追问" in text.stdout


def test_grade_answer_needs_exactly_one_answer() -> None:
    proc = run_cli("grade", "answer", "-q", "rt.sched.gmp-roles")
    assert proc.returncode == 1 and "exactly one of --answer" in proc.stderr


def test_grade_batch_grades_good_lines_and_reports_bad_ones(tmp_path: Path) -> None:
    lines = [
        {
            "id": 1,
            "question": "What is the role of a prototype program?",
            "reference": "To simulate the behaviour of portions of the desired software product.",
            "answer": "It simulates the behaviour of parts of the desired software product.",
        },
        "this is not json",
        {"id": 3, "question": "Q", "answer": "no reference"},
        {
            "id": 4,
            "question": "谁来关闭 channel？",
            "reference": "由发送方关闭，接收方用 v, ok 判断。",
            "answer": "发送方负责关闭。",
            "rubric": "- 说明由发送方关闭（2分）\n- 说明 v, ok 的用法（1分）",
            "max_score": 3,
        },
        {"id": 5, "question": "Q", "reference": "R", "answer": "A", "max_score": -1},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    proc = run_cli("grade", "batch", str(src), "-o", str(out))
    assert proc.returncode == 1
    assert f"{src}:2:" in proc.stderr and f"{src}:3:" in proc.stderr and f"{src}:5:" in proc.stderr
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r.get("id") for r in results] == [1, None, 3, 4, 5]
    assert 0.5 < results[0]["score"] <= 1.0 and results[0]["points"]
    assert "missing field(s): reference" in results[2]["error"]
    assert results[3]["max_score"] == 3 and [p["weight"] for p in results[3]["points"]] == [2, 1]
    assert results[3]["points"][0]["status"] != "missed"
    assert "max_score" in results[4]["error"]


@pytest.mark.skipif(not (default_data_dir() / "ads_zh").is_dir(), reason="ASAG data not present")
def test_benchmark_grading_json_reports_the_figures() -> None:
    [result] = run_json("benchmark", "grading", "--dataset", "ads")
    assert result["dataset"] == "ads" and result["answers"] == 1107
    ours, base = result["gointerview"], result["tfidf_baseline"]
    assert ours["pearson"] > base["pearson"]  # the grader beats the baseline it is shown with
    assert set(ours) == {"pearson", "rmse", "qwk"} and result["latency_ms"]["p95"] > 0
