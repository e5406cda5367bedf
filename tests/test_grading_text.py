"""The offline text grader on hand-written answers to bank questions."""

from __future__ import annotations

import pytest

from gointerview.bank import Bank, load_bank
from gointerview.grading.text.grader import grade_rubric, grade_text, level_for
from gointerview.grading.text.rubric import (
    Rubric,
    RubricPoint,
    RubricTextError,
    derive,
    parse_rubric_text,
)

GMP_EN = (
    "G is a goroutine, M is an OS thread and P is a logical processor. An M must hold a P to "
    "run Go code; the P owns the local run queue (256 slots) and the mcache, so most "
    "scheduling and small allocations need no global lock. GOMAXPROCS sets the number of Ps, "
    "so it bounds how many goroutines run Go code in parallel — it is not the number of "
    "threads: an M blocked in a syscall hands off its P (handoffp) and more threads get "
    "created. P was added in Go 1.1 to replace the G-M model's global run queue and global "
    "lock. I would check it with GODEBUG=schedtrace=1000, the threadcreate profile and "
    "runtime.NumGoroutine."
)
GMP_ZH = (
    "G 是 goroutine，M 是操作系统线程，P 是逻辑处理器。M 必须持有 P 才能执行 Go 代码；P 上有"
    "本地运行队列（256 个槽）和 mcache，所以大多数调度和小对象分配不用全局锁。GOMAXPROCS 设置"
    "的是 P 的数量，限制的是同时执行 Go 代码的并行度，不是线程数：M 阻塞在系统调用时会把 P "
    "移交给其他 M（handoffp），线程会变多。P 是 Go 1.1 引入的，用来替代 GM 模型里的全局队列和"
    "全局锁。可以用 GODEBUG=schedtrace=1000、threadcreate profile 和 runtime.NumGoroutine 观察。"
)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


def test_strong_answer_scores_high_and_cites_its_evidence(bank: Bank) -> None:
    grade = grade_text(bank.get("rt.sched.gmp-roles"), GMP_EN)
    assert grade.score >= 75
    assert grade.level in ("精通", "熟练")
    hit = {p.id for p in grade.points if p.status == "hit"}
    assert {"roles", "gomaxprocs-p", "p-owns-state"} <= hit
    for point in grade.points:
        for ev in point.evidence:  # evidence quotes the answer exactly, by offsets
            assert GMP_EN[ev.start : ev.end] == ev.text
    assert grade.lang == "en" and "Score" in grade.feedback


def test_chinese_and_english_answers_score_alike(bank: Bank) -> None:
    question = bank.get("rt.sched.gmp-roles")
    en, zh = grade_text(question, GMP_EN), grade_text(question, GMP_ZH)
    assert abs(en.score - zh.score) <= 15
    assert zh.lang == "zh" and "得分" in zh.feedback
    assert {p.id for p in zh.points if p.status == "hit"} >= {"roles", "gomaxprocs-p"}


def test_a_stated_misconception_is_flagged_with_its_sentence(bank: Bank) -> None:
    question = bank.get("rt.sched.gmp-roles")
    answer = "M is a thread. GOMAXPROCS is the maximum number of threads the program can use."
    grade = grade_text(question, answer)
    [hit] = grade.misconceptions
    assert hit.id == "gomaxprocs-threads"
    assert hit.sentence.text.startswith("GOMAXPROCS is the maximum")
    assert "SetMaxThreads" in hit.correction or "P" in hit.correction
    assert "Wrong" in grade.feedback


def test_a_denied_misconception_is_not_flagged(bank: Bank) -> None:
    question = bank.get("rt.sched.gmp-roles")
    for answer in (
        "GOMAXPROCS is not the maximum number of threads; it is the number of Ps.",
        "GOMAXPROCS 不是最大线程数，而是 P 的个数。",
    ):
        grade = grade_text(question, answer)
        assert grade.misconceptions == [], answer
        assert next(p for p in grade.points if p.id == "gomaxprocs-p").status == "hit"


def test_a_chinese_enumeration_keeps_each_items_own_denial() -> None:
    rubric = Rubric(
        question={"zh": "锁丢了会怎样？"},
        reference={"zh": "比较失败，写入不生效。"},
        points=(
            RubricPoint("fails", 1.0, {"zh": "比较失败"}, (("比较失败",),)),
            RubricPoint("deadlock", 1.0, {"zh": "能发现死锁"}, (("死锁",),)),
            RubricPoint("code", 1.0, {"zh": "不可抢占的代码拖慢停顿"}, (("拖慢停顿",),)),
        ),
        origin="derived",
    )

    def status(answer: str, point: str) -> str:
        return next(p.status for p in grade_rubric(rubric, answer).points if p.id == point)

    # the denial after 、 belongs to the next item
    assert status("锁丢失时比较失败、写入不生效。", "fails") == "hit"
    # a denial before the list covers every item of it
    assert status("它发现不了逻辑竞态、死锁和泄漏。", "deadlock") == "missed"
    # 不可抢占 names a kind of code; it denies nothing
    assert status("不可抢占代码、CPU 节流都会拖慢停顿。", "code") == "hit"


def test_a_negated_claim_is_not_a_hit() -> None:
    rubric = Rubric(
        question={"en": "What happens to the sender?"},
        reference={"en": "The send blocks until a receiver arrives."},
        points=(
            RubricPoint("blocks", 1.0, {"en": "The send blocks"}, (("blocks", "阻塞"),)),
            RubricPoint("no-m", 1.0, {"en": "It does not block the M"}, (("block the M",),)),
        ),
        origin="derived",
    )
    denied = grade_rubric(rubric, "The send does not block, it returns at once.")
    assert next(p for p in denied.points if p.id == "blocks").status == "missed"
    stated = grade_rubric(rubric, "The send blocks until someone receives.")
    assert next(p for p in stated.points if p.id == "blocks").status == "hit"
    zh = grade_rubric(rubric, "发送方不会阻塞。")
    assert next(p for p in zh.points if p.id == "blocks").status == "missed"
    # a point that is itself negative is credited by the negative statement only
    assert next(p for p in denied.points if p.id == "no-m").status == "missed"
    negative = grade_rubric(rubric, "The goroutine parks but it does not block the M.")
    assert next(p for p in negative.points if p.id == "no-m").status == "hit"
    positive = grade_rubric(rubric, "It will block the M for the whole time.")
    assert next(p for p in positive.points if p.id == "no-m").status == "missed"


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "   ",
        "The weather is nice today and I like pizza.",
        "天气不错，我喜欢吃火锅。",
        "I don't know",
        "不会",
    ],
)
def test_empty_off_topic_and_dont_know_score_near_zero(bank: Bank, answer: str) -> None:
    grade = grade_text(bank.get("lang.chan.double-close"), answer)
    assert grade.score < 15
    assert grade.level == "欠缺"
    assert all(p.status == "missed" for p in grade.points)


def test_follow_up_targets_the_heaviest_missed_point(bank: Bank) -> None:
    question = bank.get("lang.chan.double-close")
    grade = grade_text(question, "Use a WaitGroup and close out once in a separate goroutine.")
    missed = [p.id for p in grade.points if p.status == "missed"]
    wanted = [f for f in question.follow_ups if f.when_missed in missed]
    assert wanted, "the question has follow-ups for its points"
    assert grade.follow_up in {f.en for f in question.follow_ups}


def test_required_point_missing_caps_the_level(bank: Bank) -> None:
    question = bank.get("rt.sched.gmp-roles")
    required = [kp.id for kp in question.key_points if kp.required]
    assert required
    answer = (
        "An M must hold a P to run Go code; the P owns the local run queue and mcache. P came "
        "with Go 1.1 to remove the global lock of the G-M model, and a blocked M hands off its "
        "P. Watch it with schedtrace, the threadcreate profile and NumGoroutine."
    )
    grade = grade_text(question, answer)
    if any(p.required and p.status == "missed" for p in grade.points):
        assert grade.level in ("了解", "欠缺")


def test_levels_follow_the_documented_thresholds() -> None:
    assert [level_for(s) for s in (100, 85, 84.9, 65, 64.9, 40, 39.9, 0)] == [
        "精通",
        "精通",
        "熟练",
        "熟练",
        "了解",
        "了解",
        "欠缺",
        "欠缺",
    ]


def test_derived_rubric_from_a_reference_answer() -> None:
    rubric = derive(
        question="What is the role of a prototype program in problem solving?",
        reference={"en": "To simulate the behaviour of portions of the desired software product."},
    )
    assert rubric.origin == "derived" and len(rubric.points) == 1
    terms = {g[0].lower() for g in rubric.points[0].groups}
    assert {"simulate", "behaviour", "software"} <= terms
    assert "prototype" not in terms  # words the question gives away do not count
    good = grade_rubric(rubric, "It simulates the behaviour of parts of the desired software.")
    bad = grade_rubric(rubric, "A prototype is a program.")
    assert good.score > bad.score + 20


def test_text_rubric_is_parsed_into_weighted_points() -> None:
    text = (
        "Rubric:\n- explains that the sender closes the channel (3 points)\n"
        "* mentions the panic on a double close (2 pts)\n"
        "1. 说明 range 在关闭后结束（1分）\n"
        "prose without points is ignored\n"
    )
    rubric = parse_rubric_text(text, question="Who closes a channel?", reference={"en": ""})
    assert [p.weight for p in rubric.points] == [3.0, 2.0, 1.0]
    assert rubric.max_score == 6.0
    assert rubric.points[2].text == {"zh": "说明 range 在关闭后结束"}
    with pytest.raises(RubricTextError):
        parse_rubric_text("just prose", question="q", reference={"en": ""})


@pytest.mark.parametrize(
    ("text", "weights"),
    [
        (
            "1.For correct use of the closed flag (6.5 points)\n2.For the panic (3.5 points)",
            [6.5, 3.5],
        ),
        ("• For explaining the happens-before edge (5 points)", [5.0]),
        ("(a) buffered channel capacity 3 pts\n(b) unbuffered hand-off 2 pts", [3.0, 2.0]),
        ("* closes exactly once — 2 marks\n* receivers see the zero value - 1 mark", [2.0, 1.0]),
        ("一、说明关闭后接收得到零值 2 分", [2.0]),
    ],
)
def test_every_rubric_shape_a_teacher_writes(text: str, weights: list[float]) -> None:
    rubric = parse_rubric_text(text, question="Explain channel closing.", reference={"en": "x"})
    assert [p.weight for p in rubric.points] == weights


def test_a_ladder_is_one_item_scored_by_its_best_rung() -> None:
    rubric = parse_rubric_text(
        "Correct (16 points); mostly correct (10 points); partially correct (4 points)",
        question="What is write skew?",
        reference={
            "en": "Two transactions read an overlapping set, each writes a different row based "
            "on what it read, and together they break an invariant that each alone keeps; "
            "snapshot isolation allows it, SERIALIZABLE prevents it."
        },
    )
    [item] = rubric.points
    assert item.weight == 16.0 and len(item.rungs) == 3
    full = grade_rubric(
        rubric,
        "Each transaction reads an overlapping set and writes a different row from what it "
        "read; together they break an invariant. Snapshot isolation allows it, SERIALIZABLE "
        "prevents it.",
    )
    assert full.score >= 85
    assert grade_rubric(rubric, "I like pizza.").score == 0
    nested = parse_rubric_text(
        "1. 判断能否直接读 leader\n   完全正确（4分）\n   只回答结论（2分）\n"
        "2. 提到 ReadIndex（6分）",
        question="Raft leader 本地读是否线性一致？",
        reference={"zh": "不能。旧 leader 可能已被分区。"},
    )
    assert [p.weight for p in nested.points] == [4.0, 6.0] and len(nested.points[0].rungs) == 2


def test_a_rubric_without_items_falls_back_to_the_reference_with_a_warning() -> None:
    warnings: list[str] = []
    rubric = parse_rubric_text(
        "3 sub-questions, 9 points for each.",
        question="Explain connection pools.",
        reference={"en": "Pools reuse connections. Size them by the database's capacity."},
        warnings=warnings,
    )
    assert rubric.max_score == 27.0 and rubric.points
    assert warnings and "reference" in warnings[0]


def test_grading_is_fast_enough_for_interactive_use(bank: Bank) -> None:
    """Not a benchmark: a sanity bound far above the measured p95 (see README)."""
    import time

    question = bank.get("rt.sched.gmp-roles")
    grade_text(question, GMP_ZH)  # warm the segmenter
    start = time.perf_counter()
    for _ in range(5):
        grade_text(question, GMP_ZH)
    assert (time.perf_counter() - start) / 5 < 2.0


def test_history_counts_when_the_question_is_about_history() -> None:
    point = RubricPoint(
        "hot-split", 1.0, {"en": "A call on a segment boundary kept allocating and freeing"},
        (("hot split",), ("segment",)),
    )  # fmt: skip
    answer = (
        "Before Go 1.3 stacks were segmented: a hot split happened when a loop called across "
        "a segment boundary and allocated and freed a segment every iteration."
    )
    about = Rubric({"en": "Why did Go move away from segmented stacks?"}, {"en": ""}, (point,))
    present = Rubric({"en": "How do goroutine stacks grow today?"}, {"en": ""}, (point,))
    assert grade_rubric(about, answer).points[0].status == "hit"
    assert grade_rubric(present, answer).points[0].status == "missed"
