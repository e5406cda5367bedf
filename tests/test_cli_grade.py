"""`gointerview grade ...` and `gointerview benchmark grading`, run as a user runs them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from cli_helpers import run_cli, run_json


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


def _mohler_like(folder: Path) -> None:
    """A tiny data set in the Mohler CSV layout, written here (the real one is not shipped)."""
    rows = []
    topics = [
        ("What does a mutex protect?", "It protects shared data from concurrent access."),
        ("Why close a channel?", "Closing tells receivers that no more values will come."),
        (
            "What is a goroutine?",
            "A goroutine is a function running concurrently, scheduled by Go.",
        ),
        ("What does defer do?", "Defer runs a call when the surrounding function returns."),
        ("What is a slice?", "A slice is a view of an array with a length and a capacity."),
        ("What does GOMAXPROCS set?", "It sets how many Ps run Go code at the same time."),
    ]
    for qid, (question, reference) in enumerate(topics, 1):
        answers = [(reference, 5.0), (reference.split(" ", 3)[-1], 3.5), ("I like pizza.", 0.0)]
        for answer, score in answers:
            rows.append([str(qid), question, reference, answer, str(score), "1"])
    path = folder / "mohler2011" / "mohler2011_texas.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            [
                "question_id",
                "question",
                "reference_answer",
                "student_answer",
                "score_avg",
                "in_standard_80",
            ]
        )
        writer.writerows(rows)


def test_benchmark_grading_json_reports_the_figures(tmp_path: Path) -> None:
    _mohler_like(tmp_path)
    result = run_json("benchmark", "grading", "--dataset", "mohler", "--data", str(tmp_path))
    mohler = result["mohler"]
    assert mohler["dataset"] == "mohler" and mohler["answers"] == 18
    ours = mohler["gointerview"]
    assert set(ours) == {"pearson", "rmse", "qwk"} and mohler["latency_ms"]["p95"] > 0
    assert ours["pearson"] > 0.5  # exact answers over pizza: the ordering is unmistakable


def test_benchmark_without_asag_data_says_how_to_get_it() -> None:
    proc = run_cli("benchmark", "grading", "--dataset", "ads", env={"GOINTERVIEW_ASAG_DIR": ""})
    assert proc.returncode == 1 and "--data" in proc.stderr


def test_adversarial_benchmark_reports_levels_and_false_credit(tmp_path: Path) -> None:
    split = tmp_path / "tuning"
    split.mkdir()
    records = [
        {
            "qid": "rt.sched.gmp-roles",
            "type": "keywords",
            "lang": "en",
            "score": 0,
            "answer": "GMP, work stealing, runnext, global queue, sysmon, handoff, GOMAXPROCS",
        },
        {
            "qid": "rt.sched.gmp-roles",
            "type": "misconception",
            "lang": "zh",
            "score": 5,
            "answer": "GOMAXPROCS 就是线程数上限，M 的数量永远等于 GOMAXPROCS。",
        },
    ]
    (split / "bank.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8"
    )
    result = run_json(
        "benchmark", "grading", "--dataset", "adversarial", "--adversarial-data", str(tmp_path)
    )
    overall = result["adversarial"]["tuning"]["overall"]
    assert overall["answers"] == 2 and overall["false_credit"] == 0.0
    assert set(result["adversarial"]["tuning"]["by_type"]) == {"keywords", "misconception"}
