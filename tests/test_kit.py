"""Interview kits through the real CLI: build one, fill it in as an interviewer would (tick
boxes, write numbers, tick a level), and score it into the evaluation report."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from browser import screenshot
from cli_helpers import run_cli
from gointerview.bank import load_bank
from gointerview.exercises.catalog import builtin_catalog
from gointerview.grading.text.grader import level_for
from gointerview.kit.build import Kit, _question_item, time_boxes
from gointerview.kit.render import fence_indented
from gointerview.kit.render import to_html as kit_html
from gointerview.kit.render import to_markdown as kit_markdown
from gointerview.kit.scorecard import LEVEL_SCORE, parse
from gointerview.report.evaluate import NOT_ENOUGH, Report
from gointerview.report.render import to_markdown

DIMENSIONS = ["go_advanced", "components", "distributed_design", "performance", "problem_analysis"]
HEADING = re.compile(r"^### (\d+)\. .*`([^`]+)`$")
LEAK = "lang.leaks.blocked-sender"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """No developer config, banks or language (the autouse fixture is per test)."""
    home = tmp_path_factory.mktemp("home")
    return {
        "GOINTERVIEW_CONFIG": str(home / "config.toml"),
        "GOINTERVIEW_DATA_DIR": str(home / "data"),
        "GOINTERVIEW_BANKS": "",
        "GOINTERVIEW_LANG": "",
    }


def kit_json(env: dict[str, str], *args: str) -> dict[str, Any]:
    proc = run_cli("kit", *args, "--format", "json", env=env)
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


@pytest.fixture(scope="module")
def deep42(env: dict[str, str]) -> dict[str, Any]:
    return kit_json(env, "--plan", "deep", "--level", "senior", "--seed", "42", "--lang", "zh")


@pytest.fixture(scope="module")
def kit_md(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kit") / "kit.md"
    proc = run_cli(
        "kit", "--plan", "deep", "--level", "senior", "--seed", "42", "--lang", "zh", "-o",
        str(path), env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return path


def test_same_seed_same_kit_other_seed_other_questions(
    env: dict[str, str], deep42: dict[str, Any], kit_md: Path
) -> None:
    again = kit_json(env, "--plan", "deep", "--level", "senior", "--seed", "42", "--lang", "zh")
    assert again == deep42
    other = kit_json(env, "--plan", "deep", "--level", "senior", "--seed", "43", "--lang", "zh")
    assert [i["ref"] for i in other["items"]] != [i["ref"] for i in deep42["items"]]
    # without --seed a seed is drawn, printed, and rebuilds the same kit
    proc = run_cli("kit", "--plan", "screen", "--level", "mid", "--lang", "en", env=env)
    assert proc.returncode == 0, proc.stderr
    marker = re.search(
        r"<!-- gointerview-kit v1 plan=screen level=mid seed=(\d+) lang=en", proc.stdout
    )
    assert marker is not None and f"seed {marker.group(1)}" in proc.stderr
    rebuilt = run_cli(
        "kit", "--plan", "screen", "--level", "mid", "--lang", "en", "--seed", marker.group(1),
        env=env,
    )  # fmt: skip
    assert rebuilt.stdout == proc.stdout
    assert kit_md.read_text(encoding="utf-8").startswith(
        "<!-- gointerview-kit v1 plan=deep level=senior seed=42 lang=zh -->\n"
    )


def test_kit_holds_every_cue_and_the_scorecard(deep42: dict[str, Any], kit_md: Path) -> None:
    bank, catalog = load_bank(), builtin_catalog()
    md = kit_md.read_text(encoding="utf-8")
    items = deep42["items"]
    assert [i["kind"] for i in items] == ["question"] * 10 + ["exercise"]  # the deep plan
    headings = [HEADING.match(line) for line in md.splitlines()]
    assert [(int(h.group(1)), h.group(2)) for h in headings if h] == [
        (i["seq"], i["ref"]) for i in items
    ]
    # time boxes: back to back, filling the plan's 90 minutes, each printed as a clock span
    assert [i["start_minute"] for i in items] == [
        sum(j["minutes"] for j in items[:k]) for k in range(len(items))
    ]
    assert sum(i["minutes"] for i in items) == deep42["minutes"] == 90
    assert all(i["minutes"] > 0 for i in items)
    assert f"**1:{items[-1]['start_minute'] - 60:02d}–1:30**" in md
    for item in items:
        if item["kind"] == "exercise":
            mutants = catalog.get(item["ref"]).meta.mutants
            assert mutants and all(f"<!-- mc:{m.id} -->" in md for m in mutants)
            continue
        q = bank.get(item["ref"])
        assert q.key_points and all(f"<!-- kp:{kp.id} -->" in md for kp in q.key_points)
        assert all(f"<!-- mc:{m.id} -->" in md and m.why.zh in md for m in q.misconceptions)
        assert all(f.zh in md for f in q.follow_ups)
        assert all(line in md for line in q.prompt.zh.strip().splitlines())  # the full prompt
        # the first other wordings, quoted with the prompt (the score parser skips quotes)
        assert all(f"> - {w.zh}" in md for w in q.asked_as[:3])
        assert len(q.asked_as) < 4 or f"> - {q.asked_as[3].zh}" not in md
    assert md.count("**评分**：[ ] 精通 [ ] 熟练 [ ] 了解 [ ] 欠缺 · 0–100: ____") == len(items)
    evaluation = md[md.index("## 面试评价") :]
    for dim in DIMENSIONS:
        assert re.search(
            rf"\[ \] 精通 \[ \] 熟练 \[ \] 了解 \[ \] 欠缺 .*<!-- dim:{dim} -->", evaluation
        )
    assert "### 面试总结" in evaluation


# ---------------------------------------------------------------- filling in


def edit(md: str, item: int, change: Callable[[str], str], where: str) -> str:
    """Apply `change` to the lines of item `item` that contain `where`."""
    out, current = [], 0
    for line in md.splitlines():
        heading = HEADING.match(line)
        if heading:
            current = int(heading.group(1))
        elif line.startswith("## "):
            current = 0
        out.append(change(line) if current == item and where in line else line)
    return "\n".join(out) + "\n"


def tick(line: str) -> str:
    return line.replace("[ ]", "[x]", 1)


@pytest.fixture(scope="module")
def filled(kit_md: Path, deep42: dict[str, Any]) -> Path:
    """Item 1: key points ticked except the last; 2: a number and a level (the number
    wins); 3: the 了解 level and a red flag; 11 (the exercise): 熟练; the rest untouched.
    The interviewer rates 分布式系统设计 精通 on the overall scorecard."""
    md = kit_md.read_text(encoding="utf-8")
    last_kp = deep42["items"][0]["key_points"][-1]["id"]
    md = edit(md, 1, lambda s: s if f"kp:{last_kp} " in s else tick(s), "<!-- kp:")
    md = edit(md, 2, lambda s: tick(s.replace("0–100: ____", "0–100: 80")), "**评分**")
    md = edit(md, 3, lambda s: s.replace("[ ] 了解", "[x] 了解"), "**评分**")
    first_flag = deep42["items"][2]["red_flags"][0]["id"]
    md = edit(md, 3, tick, f"<!-- mc:{first_flag} -->")
    md = edit(md, 11, lambda s: s.replace("[ ] 熟练", "[X] 熟练"), "**评分**")
    md = re.sub(
        r"^(.*)\[ \] 精通(.*<!-- dim:distributed_design -->)$", r"\1[x] 精通\2", md, flags=re.M
    )
    path = kit_md.with_name("filled.md")
    path.write_text(md, encoding="utf-8")
    return path


def score(env: dict[str, str], *args: str) -> tuple[dict[str, Any], str]:
    proc = run_cli("kit", "score", *args, "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    return data, proc.stderr


def evidence_by_question(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["question"]: e for d in report["dimensions"] for e in d["evidence"]}


@pytest.fixture(scope="module")
def filled_report(env: dict[str, str], filled: Path) -> tuple[dict[str, Any], str]:
    return score(env, str(filled))


def test_filled_kit_scores_by_the_rules(
    filled_report: tuple[dict[str, Any], str], deep42: dict[str, Any]
) -> None:
    report, stderr = filled_report
    items = deep42["items"]
    bank = load_bank()
    assert report["answered"] == report["asked"] == 4
    cited = evidence_by_question(report)
    assert set(cited) == {items[0]["ref"], items[1]["ref"], items[2]["ref"], items[10]["ref"]}

    q1 = bank.get(items[0]["ref"])
    total = sum(kp.weight for kp in q1.key_points)
    expected = round(100 * (total - q1.key_points[-1].weight) / total, 1)
    e1 = cited[q1.id]
    assert e1["score"] == expected and e1["level"] == level_for(expected)
    assert e1["hit"] == [kp.zh for kp in q1.key_points[:-1]]
    assert e1["missed"] == [q1.key_points[-1].zh]

    e2 = cited[items[1]["ref"]]  # 80 written, 精通 ticked: the number wins
    assert (e2["score"], e2["level"], e2["hit"], e2["missed"]) == (80, "熟练", [], [])

    q3 = bank.get(items[2]["ref"])
    e3 = cited[q3.id]
    assert (e3["score"], e3["level"]) == (52, "了解")
    assert e3["misconceptions"] == [q3.misconceptions[0].claim.zh]

    ex = cited[items[10]["ref"]]
    assert (ex["kind"], ex["score"], ex["level"]) == ("exercise", 75, "熟练")

    for d in report["dimensions"]:
        if d["rating"] == NOT_ENOUGH:
            assert d["evidence"] == [] and d["score"] is None
            continue
        assert d["evidence"], d
        mean = sum(e["score"] for e in d["evidence"]) / len(d["evidence"])
        assert d["score"] == round(mean, 1) and d["rating"] == level_for(mean)
        for e in d["evidence"]:  # each cited item really probes this dimension
            dims = (
                ["go_advanced", "problem_analysis"]
                if e["kind"] == "exercise"
                else [x.value for x in bank.get(e["question"]).dimensions]
            )
            assert d["dimension"] in dims
    assert [d["dimension"] for d in report["dimensions"]] == DIMENSIONS
    assert report["verdict"].startswith("按 senior 标准")
    rated = {d["dimension"]: d["rating"] for d in report["dimensions"]}
    if rated["distributed_design"] != "精通":  # the interviewer's own tick is compared
        assert "note: 分布式系统设计：你勾了精通" in stderr
    else:
        assert "分布式系统设计" not in stderr


def test_score_report_is_the_report_format(
    env: dict[str, str], filled: Path, filled_report: tuple[dict[str, Any], str]
) -> None:
    report, _ = filled_report
    proc = run_cli("kit", "score", str(filled), "--format", "md", env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == to_markdown(Report.model_validate(report))
    assert proc.stdout.startswith("# 面试评估报告 · kit deep seed 42\n")


def test_set_enters_scores_and_overrides_the_file(
    env: dict[str, str], filled: Path, deep42: dict[str, Any]
) -> None:
    report, _ = score(env, str(filled), "--set", "2=熟练", "--set", "4=30", "--set", "5=expert")
    cited = evidence_by_question(report)
    items = deep42["items"]
    assert cited[items[1]["ref"]]["score"] == 75  # overrides the 80 written in the file
    e4 = cited[items[3]["ref"]]  # a blank item scored from the command line
    assert (e4["score"], e4["level"], e4["hit"], e4["missed"]) == (30, "欠缺", [], [])
    # scored by number alone: the plan cannot name missed points, and does not claim "all"
    plan = {s["id"]: s["why"] for s in report["study_plan"]}
    assert plan[items[3]["ref"]] == "把这道题从头再过一遍"
    assert cited[items[4]["ref"]]["score"] == 92
    assert report["answered"] == 6


def test_untouched_kit_is_a_report_with_no_answers(env: dict[str, str], kit_md: Path) -> None:
    report, stderr = score(env, str(kit_md))
    assert report["answered"] == 0 and report["overall_score"] is None
    assert all(d["rating"] == NOT_ENOUGH and not d["evidence"] for d in report["dimensions"])
    assert "note:" not in stderr


def test_english_kit_round_trip(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "kit.md"
    proc = run_cli(
        "kit", "--plan", "design", "--level", "staff", "--seed", "7", "--lang", "en", "-o",
        str(path), env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    md = path.read_text(encoding="utf-8")
    assert "**Listen for**" in md and "**Red flags (misconceptions)**" in md
    assert "**Score**: [ ] expert [ ] proficient [ ] familiar [ ] lacking · 0–100: ____" in md
    assert "## Evaluation" in md and "**Distributed system design**" in md
    md = edit(md, 2, lambda s: s.replace("[ ] proficient", "[x] proficient"), "**Score**")
    md = md.replace("**Candidate**: ________", "**Candidate**: Ada")
    path.write_text(md, encoding="utf-8")
    report, _ = score(env, str(path))
    assert report["session"] == "Ada" and report["lang"] == "en" and report["answered"] == 1
    assert report["overall_score"] == LEVEL_SCORE["熟练"]


# ---------------------------------------------------------------- bad input


def line_of(md: str, item: int, where: str) -> int:
    current = 0
    for n, line in enumerate(md.splitlines(), start=1):
        heading = HEADING.match(line)
        if heading:
            current = int(heading.group(1))
        if current == item and where in line:
            return n
    raise AssertionError(where)


def test_bad_input_is_reported_at_its_line(
    env: dict[str, str], kit_md: Path, deep42: dict[str, Any], tmp_path: Path
) -> None:
    md = kit_md.read_text(encoding="utf-8")
    items = deep42["items"]
    kp = items[1]["key_points"][0]["id"]
    bad = edit(md, 1, lambda s: s.replace("0–100: ____", "0–100: 140"), "**评分**")
    bad = edit(bad, 2, lambda s: s.replace(f"kp:{kp} ", "kp:no-such-point "), f"kp:{kp} ")
    bad = edit(bad, 3, lambda s: s.replace("[ ] 精通 [ ] 熟练", "[x] 精通 [x] 熟练"), "**评分**")
    bad = bad.replace(f"`{items[4]['ref']}`", "`no.such.question`")
    path = tmp_path / "bad.md"
    path.write_text(bad, encoding="utf-8")
    proc = run_cli("kit", "score", str(path), env=env)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"error: {path}:{line_of(bad, 1, '**评分**')}: item 1: '140' is not a score from 0 to 100",
        f"{path}:{line_of(bad, 2, 'kp:no-such-point')}: `no-such-point` is not a key point of "
        f"{items[1]['ref']}",
        f"{path}:{line_of(bad, 3, '**评分**')}: item 3: 2 levels ticked (精通, 熟练); tick one",
        f"{path}:{line_of(bad, 5, '`no.such.question`')}: `no.such.question` is not a question "
        "in the bank or an exercise",
    ]

    path.write_text(md.split("\n", 1)[1], encoding="utf-8")  # the marker line removed
    proc = run_cli("kit", "score", str(path), env=env)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"error: {path}:1: not a gointerview kit")

    for arg, message in [
        ("12=80", "the kit has no item 12"),
        ("3=abc", "'abc' is neither a score 0–100 nor a level"),
        ("three=80", "expected N=SCORE or N=LEVEL"),
        ("3=", "expected N=SCORE or N=LEVEL"),
    ]:
        proc = run_cli("kit", "score", str(kit_md), "--set", arg, env=env)
        assert proc.returncode == 1 and f"error: --set {arg}: {message}" in proc.stderr


# ---------------------------------------------------------------- units


def test_level_scores_map_back_to_their_level() -> None:
    assert {name: level_for(s) for name, s in LEVEL_SCORE.items()} == {
        name: name for name in LEVEL_SCORE
    }


def test_time_boxes_fill_the_plan() -> None:
    # estimates that fit are kept; an exercise keeps its limit under half the plan
    assert time_boxes(60, [10, 20, None], [None, None, 30]) == [10, 20, 30]
    # no estimate: an even share; estimates that do not fit are scaled together
    assert time_boxes(30, [None, None, None], [None] * 3) == [10, 10, 10]
    assert time_boxes(45, [6, 6, 6, 6, 6, 6], [None] * 6) == [8, 7, 8, 7, 8, 7]
    boxes = time_boxes(90, [8.0] * 10 + [None], [None] * 10 + [60])
    assert boxes[-1] == 45 and sum(boxes) == 90  # the exercise capped at half the plan


# ---------------------------------------------------------------- HTML


def test_html_kit_prints(env: dict[str, str], deep42: dict[str, Any], tmp_path: Path) -> None:
    page = tmp_path / "kit.html"
    proc = run_cli(
        "kit", "--plan", "deep", "--seed", "42", "--lang", "zh", "--format", "html", "-o",
        str(page), env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and text.rstrip().endswith("</html>")
    assert "<!--" not in text and text.count("<blockquote>") == len(deep42["items"])
    if any("```" in item["prompt"] for item in deep42["items"]):
        assert "<pre><code>" in text and "```" not in text
    assert "☐ 精通 ☐ 熟练 ☐ 了解 ☐ 欠缺" in text and "<h2>面试评价</h2>" in text
    if shutil.which("chromium") is None:
        pytest.skip("chromium not installed")
    shot = screenshot(page, "kit.png", tmp_path / "chrome", height=2000)
    assert shot.stat().st_size > 20_000  # a real page with text on it


# ---------------------------------------------------------------- code in the quoted prompt

# the scorecard's own markup, as code in a prompt: the score parser must not read it
INDENTED = """What is wrong with this loop?

    for {
        select {
        case <-time.Tick(time.Second):
            beat() // - [x] (1) not a cue <!-- kp:fake -->
        }
    }

**Score**: [x] expert · 0–100: 99
How do you fix it?"""


def one_item_kit(prompt: str, ref: str = "lang.leaks.time-tick-in-loop") -> Kit:
    bank = load_bank()
    item = _question_item(1, ref, bank, "en", 0, 5).model_copy(update={"prompt": prompt})
    return Kit(plan="screen", plan_name="Screen", level="mid", lang="en", seed=1, minutes=5,
               items=[item])  # fmt: skip


def quoted(kit_text: str) -> str:
    """The item's block quote as a CommonMark renderer (GitHub's, an editor's) shows it."""
    rendered = str(MarkdownIt("commonmark").render(kit_text))
    assert rendered.count("<blockquote>") == 1  # one unbroken quote
    return rendered.split("<blockquote>")[1].split("</blockquote>")[0]


def test_indented_code_in_a_quoted_prompt_renders_as_code() -> None:
    text = kit_markdown(one_item_kit(INDENTED))
    quote = quoted(text)
    assert '<pre><code class="language-go">for {\n    select {\n' in quote
    assert "<p>What is wrong with this loop?</p>" in quote
    assert "How do you fix it?" in quote.split("</code></pre>")[1]  # the prose after it
    # the bank's own prompts indent their code by two spaces, right under the question
    bank_quote = quoted(kit_markdown(one_item_kit(load_bank().get(LEAK).prompt.en, LEAK)))
    assert '<pre><code class="language-go">func fetch(ctx context.Context' in bank_quote
    assert "\n    ch := make(chan string)\n" in bank_quote  # indentation kept, dedented by two


def test_fenced_code_in_a_quoted_prompt_still_renders() -> None:
    ref = "lang.chan.range-exit"
    quote = quoted(kit_markdown(one_item_kit(load_bank().get(ref).prompt.en, ref)))
    assert '<pre><code class="language-go">func main() {\n    ch := make(chan int)' in quote
    assert quote.count("<pre>") == 1


def test_the_printed_kit_shows_quoted_code_as_code() -> None:
    page = kit_html(one_item_kit(INDENTED))
    assert "<pre><code>for {\n    select {" in page


def test_the_score_parser_still_skips_code_quoted_in_a_prompt(tmp_path: Path) -> None:
    text = kit_markdown(one_item_kit(INDENTED))
    assert "> ```go" in text and "> **Score**: [x] expert · 0–100: 99" in text
    filled = parse(tmp_path / "kit.md", text, load_bank(), None)  # raises on any problem
    assert [(i.seq, i.score, i.ticked_points) for i in filled.items] == [(1, None, [])]


def test_fenced_code_and_list_items_are_not_fenced_again() -> None:
    lines = ["Steps:", "1. open the file", "   then close it", "```go", "  x := 1", "```"]
    assert fence_indented(lines) == lines
