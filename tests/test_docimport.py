"""Reading Markdown interview documents: the hand-written documents of tests/data/docs/ and its
held-out folders (expectations written by a reader in each folder's expected.yaml), `grade doc`
and `bank import` through the CLI, and fuzzed input the parser must survive. Everything read
here is inside the repository."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from browser import needs_chromium, radar_pixels, screenshot
from cli_helpers import run_cli, run_json
from gointerview.bank import load_bank
from gointerview.bank.loader import load_file
from gointerview.docimport.grade import DocReport
from gointerview.docimport.parse import parse_markdown, read_document
from gointerview.docimport.render import doc_html, doc_markdown
from gointerview.docimport.to_bank import import_document, to_yaml
from gointerview.errors import GointerviewError
from gointerview.levels import LEVEL_EN

DOCS = Path(__file__).parent / "data" / "docs"
RECORD, NOTES = DOCS / "record-round-one.zh.md", DOCS / "notes-study-quiz.md"


def _expected(folder: Path) -> dict[str, Any]:
    """What a reader found in each document of a folder, keyed by the document's path."""
    spec: dict[str, Any] = YAML(typ="safe").load((folder / "expected.yaml").read_text("utf-8"))
    return {str(folder / name): v for name, v in spec.items()}


# the first sets (tuning2/ was held-out once) and the first held-out set must be read exactly;
# the later tuning sets (tuning3/ ..., each a held-out set once) must find every question; a
# held-out set still open (heldout3/ ...) is measured by benchmarks/doc_match.py and must only
# be read safely here, so that no test pushes the reader to fit it
EXPECTED = {**_expected(DOCS), **_expected(DOCS / "tuning2"), **_expected(DOCS / "heldout")}
LATER_TUNING = {
    name: spec
    for folder in sorted(DOCS.glob("tuning?*/"))
    if folder.name != "tuning2" and (folder / "expected.yaml").is_file()
    for name, spec in _expected(folder).items()
}
LATER_HELD_OUT = sorted(
    p
    for folder in DOCS.glob("heldout?*/")
    if (folder / "expected.yaml").is_file()
    for p in folder.iterdir()
    if p.suffix == ".md"
)


def _bare(text: str) -> str:
    """Text without its whitespace: a prompt's wrapped lines, joined for one line, compare."""
    return re.sub(r"\s", "", text)


def _words(value: Any) -> list[str]:
    """A field of expected.yaml that holds one string or a list of them."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _letters(value: Any) -> list[str]:
    if isinstance(value, int):
        return [chr(ord("A") + i) for i in range(value)]
    return sorted({c.upper() for v in _words(value) for c in v if c.isalpha()})


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=lambda n: Path(n).name)
def test_parser_finds_what_a_reader_finds(name: str) -> None:
    path, spec = Path(name), EXPECTED[name]
    doc = read_document(path)
    assert (len(doc.questions), len(doc.answered), len(doc.unanswered)) == (
        spec["questions"],
        spec["answered"],
        spec["unanswered"],
    )
    if "has_template" in spec:
        assert (doc.template is not None) is spec["has_template"]
    for want, got in zip(spec["items"], doc.questions, strict=True):
        where = f"{name} question {got.index} (line {got.line})"
        assert want["title_contains"].lower() in (got.title + got.prompt).lower(), where
        assert got.answered is want["answered"], where
        for words in _words(want.get("prompt_contains")):
            assert words in got.prompt, where
        for words in _words(want.get("answer_contains")):
            assert got.answer is not None and words in got.answer, where
        for words in _words(want.get("answer_not_contains")):
            assert words not in (got.answer or ""), where
        for words in _words(want.get("reference_contains")):
            assert got.reference and words in got.reference, where
        if want.get("reference_contains") is None and "reference_contains" in want:
            assert got.reference is None, where
        for words in _words(want.get("reference_not_contains")):
            assert words not in (got.reference or ""), where
        if "choice" in want:
            assert got.choice is not None, where
            assert sorted(got.choice.options) == _letters(want["choice"]["options"]), where
            assert sorted(got.choice.correct) == _letters(want["choice"].get("correct")), where


@pytest.mark.parametrize(
    "name", sorted(LATER_TUNING), ids=lambda n: f"{Path(n).parent.name}/{Path(n).name}"
)
def test_later_tuning_documents_find_every_question(name: str) -> None:
    doc = read_document(Path(name))
    assert len(doc.questions) == LATER_TUNING[name]["questions"]
    assert len(doc.answered) + len(doc.unanswered) == len(doc.questions)


@pytest.mark.skipif(not LATER_HELD_OUT, reason="no held-out set is open")
@pytest.mark.parametrize("path", LATER_HELD_OUT, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_later_held_out_documents_are_read_safely(path: Path) -> None:
    doc = read_document(path)
    assert len(doc.answered) + len(doc.unanswered) == len(doc.questions)


def test_answer_runs_past_its_fence_and_keeps_sub_headings() -> None:
    doc = parse_markdown(
        "## 1. 秒杀怎么防超卖？\n\n**候选人回答区域**:\n```go\nstock.Decr()\n```\n"
        "先在 Redis 里扣减。\n\n#### 兜底\n\n1. 数据库乐观锁\n2. 对账\n\n## 2. 下一题？\n\n答：略\n"
    )
    first, second = doc.questions
    assert first.answer is not None
    for part in ("stock.Decr()", "先在 Redis 里扣减", "#### 兜底", "2. 对账"):
        assert part in first.answer
    assert (second.answered, second.unanswered) == (False, "placeholder")


def test_a_bare_reference_line_under_a_question_is_its_reference() -> None:
    doc = parse_markdown(
        "### 1. 什么是 GMP？\n\n答：G 是 goroutine。\n\n参考答案\n\nG 是 goroutine，M 是线程。\n\n"
        "### 2. 逃逸分析？\n\n答：不会\n"
    )
    first, second = doc.questions
    assert (first.answer, first.reference) == ("G 是 goroutine。", "G 是 goroutine，M 是线程。")
    assert second.answer == "不会" and second.reference is None  # "不会" is an answer: 0 points


def test_unreadable_file_is_a_located_error(tmp_path: Path) -> None:
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"# ok\n\n\xff\xfe\x00\x81\xfe\xff" * 3)
    with pytest.raises(GointerviewError, match=r"photo\.md:\d+: not UTF-8"):
        read_document(binary)
    gbk = tmp_path / "gbk.md"
    gbk.write_bytes("### 1. 什么是 GMP？\n\n答：G 是 goroutine。\n".encode("gb18030"))
    doc = read_document(gbk)
    assert doc.questions[0].answer == "G 是 goroutine。"
    assert "GB18030" in doc.notices[0].message


# ---------------------------------------------------------------- grade doc


def test_grade_doc_on_the_interview_record() -> None:
    out = run_json("grade", "doc", str(RECORD))
    assert (out["questions"], out["answered"], out["unanswered"]) == (4, 2, 2)
    by_title = {i["title"]: i for i in out["items"]}
    closing = by_title["关闭 channel"]
    assert closing["graded_by"] == "bank" and closing["score"] > 0 and closing["bank_question"]
    # the code answer asks something the bank has no question for: said, not guessed
    program = by_title["手写 LRU"]
    assert program["answered"] and program["graded_by"] is None and program["ungradable"]
    assert by_title["覆盖索引"]["unanswered"] == "placeholder"
    assert by_title["RDB 与 AOF"]["unanswered"] == "empty"
    assert out["graded"] + out["ungradable"] == out["answered"]
    report = out["report"]
    for dim in report["dimensions"]:
        assert dim["evidence"] or dim["rating"] == "not enough evidence"
    study = [s["id"] for s in report["study_plan"]]
    assert by_title["覆盖索引"]["bank_question"] in study  # unanswered → study it
    bank = load_bank()
    for entry in report["study_plan"]:  # a prompt cut short for the plan ends in "…"
        if entry["kind"] == "question":
            prompt = bank.get(entry["id"]).prompt.zh
            assert entry["title"].endswith("…") or _bare(entry["title"]) == _bare(prompt)


def test_grade_doc_on_the_notes_grades_quiz_items_against_the_key(tmp_path: Path) -> None:
    out = run_json("grade", "doc", str(NOTES))
    assert (out["questions"], out["answered"], out["unanswered"]) == (6, 3, 3)
    quiz = [i for i in out["items"] if i["section"] and "quiz" in i["section"].lower()]
    assert len(quiz) == 3 and all(i["has_reference"] and not i["answered"] for i in quiz)
    # answer the quiz in the same document: now graded against its own answer key
    answered = NOTES.read_text(encoding="utf-8").replace(
        "（sync） When should you reach for sync.Once?",
        "（sync） When should you reach for sync.Once?\n"
        "A: When a setup must run exactly once no matter how many goroutines ask for it,"
        " for example lazily opening a shared database handle.",
    )
    doc = tmp_path / "answered.md"
    doc.write_text(answered, encoding="utf-8")
    out = run_json("grade", "doc", str(doc))
    once = next(i for i in out["items"] if "sync.Once" in i["title"])
    assert once["answered"] and once["score"] is not None and once["score"] >= 65


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_grade_doc_renders(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"report.{fmt}"
    proc = run_cli("grade", "doc", str(RECORD), "--format", fmt, "-o", str(target))
    assert proc.returncode == 0, proc.stderr
    text = target.read_text(encoding="utf-8")
    assert "手写 LRU" in text and "覆盖索引" in text
    if fmt == "html":
        assert "<svg" in text and "</html>" in text


@needs_chromium
def test_graded_document_renders_in_headless_chromium(tmp_path: Path) -> None:
    page = tmp_path / "record.html"
    proc = run_cli("grade", "doc", str(RECORD), "--format", "html", "-o", str(page))
    assert proc.returncode == 0, proc.stderr
    shot = screenshot(page, "grade-doc.png", tmp_path / "chrome", height=1800)
    html = page.read_text(encoding="utf-8")
    probed = html.count("<circle")  # one point per dimension the document's answers evidence
    assert probed >= 1 and radar_pixels(shot) > 10 * probed
    # a dimension no answer evidences is drawn as "no evidence", not as a zero
    assert html.count("无证据") + html.count("no evidence") >= 5 - probed


# CJK ideographs and full-width punctuation: none of it is ours in an English review
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_grade_doc_lang_en_words_a_chinese_record_in_english(tmp_path: Path) -> None:
    """`--lang en` on a Chinese record: the key points in the bank's English wording and the
    levels in English, in the JSON, the Markdown and HTML, and the --fill reviews alike (the
    document's own words, quoted, stay as written)."""
    filled = tmp_path / "filled.md"
    record = DOCS / "record-round-two.zh.md"
    args = ("grade", "doc", str(record), "--lang", "en", "--json", "--no-build")
    proc = run_cli(*args, "--fill", str(filled), timeout=180)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    bank = load_bank()
    graded = [i for i in out["items"] if i["graded_by"] == "bank"]
    assert graded, "the record has answers graded with bank questions"
    chinese: set[str] = set()
    said = 0
    for item in graded:
        ids = {item["bank_question"], *(p["bank_question"] for p in item["parts"])} - {None}
        kps = [kp for q in ids for kp in bank.get(q).key_points]
        chinese |= {kp.zh for kp in kps if kp.zh != kp.en}
        for entry in (item, *item["parts"]):
            for point in entry["hit"] + entry["partial"] + entry["missed"]:
                assert point in {kp.en for kp in kps}, point
                said += 1
            if entry["score"] is not None:
                assert entry["level_en"] == LEVEL_EN[entry["level"]]
    assert said >= 5
    doc = DocReport.model_validate(out)
    for text in (doc_markdown(doc), doc_html(doc)):
        assert not [zh for zh in chinese if zh in text]
    md = doc_markdown(doc)
    assert re.findall(r"\*\*\d+/100 · ([^*]+)\*\*", md)
    assert set(re.findall(r"\*\*\d+/100 · ([^*]+)\*\*", md)) <= set(LEVEL_EN.values())
    # the report under it glosses the scale: "了解 familiar", never a bare 了解
    assert not re.findall(r"(?:精通|熟练|了解|欠缺)(?! (?:expert|proficient|familiar|lacking))", md)
    labels = ("- hit: ", "- partly covered: ", "- missed: ")
    assert not [line for line in md.splitlines() if line.startswith(labels) and CJK.search(line)]
    # the --fill reviews: our words in English around the document's own (a part's text in
    # brackets; the candidate's words quoted after " — ")
    reviews = [
        re.sub(r"^(> - part \d+) \(.*\)(: \d+/100)", r"\1\2", line.split(" — “")[0])
        for line in filled.read_text(encoding="utf-8").splitlines()
        if line.startswith(("> **Review", "> - "))
    ]
    assert len(reviews) > out["answered"]
    assert not [line for line in reviews if CJK.search(line)]
    # the study plan: English prompts, those too long for a line cut with "…"
    unanswered = [s for s in out["report"]["study_plan"] if "unanswered" in s["why"]]
    assert unanswered
    for entry in unanswered:
        prompt = bank.get(entry["id"]).prompt.en
        assert entry["title"].endswith("…") or _bare(entry["title"]) == _bare(prompt)
        assert _bare(prompt).startswith(_bare(entry["title"]).removesuffix("…"))


def test_grade_doc_errors_are_one_line(tmp_path: Path) -> None:
    proc = run_cli("grade", "doc", str(tmp_path / "missing.md"))
    assert proc.returncode == 1 and "cannot read" in proc.stderr
    empty = tmp_path / "empty.md"
    empty.write_text("just some text\n", encoding="utf-8")
    out = run_json("grade", "doc", str(empty))
    assert out["questions"] == 0
    assert any("no questions found" in n["message"] for n in out["notices"])


# ---------------------------------------------------------------- bank import


def test_bank_import_of_the_notes_is_a_valid_bank(tmp_path: Path) -> None:
    bank_file = tmp_path / "notes.yaml"
    out = run_json("bank", "import", str(NOTES), "-o", str(bank_file))
    assert (out["questions"], out["imported"], out["paired_with_answer_key"]) == (6, 6, 3)
    proc = run_cli("bank", "validate", str(bank_file))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    questions, problems = load_file(bank_file)
    assert not [p for p in problems if p.severity == "error"]
    by_prompt = {sq.question.prompt.get("en"): sq.question for sq in questions}
    key = {
        "What does receiving from a closed channel give you?": "zero value at once",
        "How does a goroutine waiting in select notice that its parent context was cancelled?": (
            "case <-ctx.Done(): return"
        ),
        "When should you reach for sync.Once?": "exactly once",
    }
    for prompt, reference in key.items():
        question = by_prompt[prompt]
        assert question.type.value == "quiz"
        assert reference in question.reference_answer.get("en")
    waitgroup = by_prompt["Wait until a batch of goroutines has finished."]
    assert "wg.Wait()" in waitgroup.reference_answer.get("zh")
    assert waitgroup.prompt.zh == "用 WaitGroup 等一批 goroutine 结束"
    # the user can now be asked these questions and graded on them
    env = {"GOINTERVIEW_BANKS": str(bank_file)}
    qid = next(sq.question.id for sq in questions if "closed channel" in sq.question.prompt.en)
    good = run_json(
        "grade", "answer", "-q", qid, "-a", "The zero value, at once, and ok is false.", env=env
    )
    bad = run_json("grade", "answer", "-q", qid, "-a", "It blocks forever.", env=env)
    assert good["score"] > bad["score"]
    # ... and interviewed on them alone
    answers = tmp_path / "answers.yaml"
    answers.write_text(f'{qid}: "The zero value, at once, and ok is false."\n', "utf-8")
    session = run_json(
        "interview", "--plan", "screen", "--level", "mid", "--tag", "imported", "--seed", "1",
        "--answers", str(answers), env=env,
    )  # fmt: skip
    asked = [i["ref"] for i in session["items"] if i["kind"] == "question"]
    assert set(asked) == {sq.question.id for sq in questions}
    graded = next(i for i in session["items"] if i["ref"] == qid)
    assert graded["status"] == "graded" and graded["score"] >= 65


def test_bank_import_refuses_to_overwrite_and_can_skip_written_answers(tmp_path: Path) -> None:
    bank_file = tmp_path / "notes.yaml"
    bank_file.write_text("questions: []\n", encoding="utf-8")
    proc = run_cli("bank", "import", str(NOTES), "-o", str(bank_file))
    assert proc.returncode == 1 and "--force" in proc.stderr
    out = run_json(
        "bank", "import", str(NOTES), "-o", str(bank_file), "--force", "--no-written-answers"
    )
    assert out["imported"] == 3 and len(out["skipped"]) == 3
    # ids must not clash with the user's other banks; replacing the same file is fine
    env = {"GOINTERVIEW_BANKS": str(bank_file)}
    again = run_cli("bank", "import", str(NOTES), "-o", str(tmp_path / "copy.yaml"), env=env)
    assert again.returncode == 1 and "--prefix" in again.stderr
    other = run_cli(
        "bank", "import", str(NOTES), "-o", str(tmp_path / "copy.yaml"), "--prefix", "copy",
        env=env,
    )  # fmt: skip
    assert other.returncode == 0, other.stderr
    same = run_cli("bank", "import", str(NOTES), "-o", str(bank_file), "--force", env=env)
    assert same.returncode == 0, same.stderr


def test_bank_import_of_the_record_skips_what_has_no_answer(tmp_path: Path) -> None:
    out = run_json("bank", "import", str(RECORD), "-o", str(tmp_path / "r.yaml"))
    assert out["imported"] == 2
    assert {s["title"] for s in out["skipped"]} == {"覆盖索引", "RDB 与 AOF"}


# ---------------------------------------------------------------- fuzzing

FRAGMENTS = [
    "# 面试记录",
    "## 基本信息",
    "### 1. channel 的关闭",
    "### 2. Why?",
    "## Q3: GMP",
    "### 第 4 题：内存",
    "1) 无缓冲 channel",
    "2) WaitGroup",
    "1. first",
    "Q1. map",
    "**面试官**: 谁关闭 channel？",
    "**候选人回答区域**:",
    "A: it blocks",
    "答：",
    "EN: What is it?",
    "参考答案：零值",
    "要点：Add 在前",
    "```",
    "```go",
    "~~~",
    "[请在此处回答]",
    "TODO",
    "（略）",
    "---",
    "Part 2 · Quick quiz",
    "（channel） What does a receive return?",
    "Answer key",
    "The zero value.",
    "#### 思路",
    "- [ ] 精通 [ ] 熟练",
    "- **Go语言高级特性**: [ ] 精通 [ ] 熟练 [ ] 了解 [ ] 欠缺",
    "| 维度 | 精通 | 熟练 | 了解 | 欠缺 |",
    "| 系统组件原理 | [ ] | [ ] | [ ] | [ ] |",
    "A: 向已关闭的 channel 发送会 panic",
    "B. len(ch)",
    "C：struct{}",
    "### 正确答案：B",
    "## 正确答案",
    "A、C",
    "**Answers:** 1 B · 2 A, C",
    "**My answer:** B",
    "<details>",
    "<summary>答案</summary>",
    "</details>",
    "<details><summary>Answer</summary>",
    "> **Answer:** it blocks",
    "> more of it",
    "**考点：** defer",
    "**解答：**",
    "- What is a nil map?",
    "- [slice 扩容的规则是什么？](./a.md)",
    "  - nested point",
    "#### 2. 为什么？",
    "# 1. new 和 make？",
    "title: notes",
    "另外说说 Mutex 的实现原理；",
    "",
    "",
    "\t\tgo func() {}()",
    "   ",
    "# ",
    "###",
    "1)",
    "**",
    "（",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_parser_survives_any_text(text: str) -> None:
    doc = parse_markdown(text)
    assert len(doc.answered) + len(doc.unanswered) == len(doc.questions)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=30), max_size=40),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_parser_holds_its_invariants_on_markdown_like_input(parts: list[str], newline: str) -> None:
    text = newline.join(parts)
    doc = parse_markdown(text)
    lines = max(1, len(text.splitlines()))
    for q in doc.questions:
        assert 1 <= q.line <= lines
        assert (q.answer is None) == (q.unanswered is not None)
        assert q.answer is None or q.answer.strip()
    for notice in doc.notices:
        assert 1 <= notice.line <= lines


BANK = None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=30), max_size=30))
def test_whatever_is_imported_loads_back_as_a_valid_bank(parts: list[str]) -> None:
    global BANK
    BANK = BANK or load_bank()
    doc = parse_markdown("\n".join(parts), "fuzz.md")
    imported = import_document(doc, BANK, prefix="fuzz")
    text = to_yaml(imported, header="fuzz")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8")
        questions, problems = load_file(path)
    assert not [p for p in problems if p.severity == "error"], (text, problems)
    assert len(questions) == len(imported.questions)
    assert len(imported.questions) + len(imported.skipped) == len(doc.questions)
    json.dumps(imported.model_dump())  # and the summary serialises


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=30), max_size=30))
def test_grading_and_filling_any_document_never_raises(parts: list[str]) -> None:
    from gointerview.docimport.fill import fill
    from gointerview.docimport.grade import grade_document

    global BANK
    BANK = BANK or load_bank()
    text = "\n".join(parts)
    doc = parse_markdown(text, "fuzz.md")
    graded = grade_document(doc, BANK, None)
    filled = fill(text, graded, doc.template)
    assert filled.count("点评（gointerview）") + filled.count("Review (gointerview)") == len(
        doc.questions
    )
