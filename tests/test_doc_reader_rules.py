"""Reading rules a careful reader applies, each on a fixture of its own in
tests/data/docs/reader/ (written for these tests), through the CLI: an answer area left open
keeps its restarted sub-headings, question cards labelled only by a key or by options still
count as labelled, a question index keeps its questions and drops its table of contents and
link lists, bullets that ask by their shape, quiz sections named "Self-check" / "题目" with
topic-tagged items on consecutive lines, an unnumbered key (paired by content, a compact one
line by line) whose code is introduced by a paragraph, opens an entry, or carries a remark
right under it, and a prompt that numbers its parts graded part by part, each part with a
bank question of its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cli_helpers import run_cli
from gointerview.bank import load_bank
from gointerview.bank.loader import load_file
from gointerview.docimport import keyalign
from gointerview.docimport import match as m
from gointerview.docimport.parse import parse_markdown
from gointerview.docimport.parts import split_pair, split_parts

READER = Path(__file__).parent / "data" / "docs" / "reader"


def grade(name: str) -> dict[str, Any]:
    proc = run_cli("grade", "doc", str(READER / name), "--json", "--no-build", timeout=180)
    assert proc.returncode == 0, proc.stderr
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


def shape(out: dict[str, Any]) -> list[tuple[str, bool, bool]]:
    return [(i["title"], i["answered"], i["has_reference"]) for i in out["items"]]


def references(name: str, tmp_path: Path) -> list[str]:
    """The reference each imported question carries, in document order."""
    bank_file = tmp_path / "bank.yaml"
    proc = run_cli(
        "bank", "import", str(READER / name), "-o", str(bank_file), "--json",
        "--no-written-answers", timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    questions, _ = load_file(bank_file)
    return [
        sq.question.reference_answer.get("en") or sq.question.reference_answer.get("zh")
        for sq in questions
    ]


def test_sub_headings_under_an_open_answer_area_stay_in_the_answer() -> None:
    # the record labels every question (面试官 / 候选人回答区域); the first answer area holds
    # "### 1." … "### 3." at the question level, one of them numbered like the next question
    out = grade("record-open-answer.zh.md")
    assert (out["questions"], out["answered"], out["unanswered"]) == (4, 2, 2)
    titles = [i["title"] for i in out["items"]]
    assert titles == ["对账服务的整体设计", "接口幂等", "资金表的并发更新", "慢接口排查"]
    assert [i["answered"] for i in out["items"]] == [True, True, False, False]  # _coming soon_


def test_cards_labelled_by_their_key_or_options_are_questions() -> None:
    # answer cards, 考点/解答 cards and a choice card with its "### Correct answer" heading;
    # a key that only says it is to come ("**解答：** （待整理）") is no reference
    out = grade("notes-cards-mixed-labels.md")
    assert shape(out) == [
        ("When is a buffered channel a better fit than a mutex?", True, False),
        ("为什么 Mutex 不能被复制？", False, True),
        ("Which of these statements about sync.Once are true?", False, True),
        ("What does `go mod why` tell you?", True, False),
        ("Why does `for i := range 10` compile?", True, False),
        ("为什么在读锁里再加一次读锁可能死锁？", False, False),  # its 解答 is left for later
    ]


def test_a_question_index_keeps_its_questions_not_its_contents_or_links() -> None:
    out = grade("notes-index-with-toc.zh.md")
    titles = [i["title"] for i in out["items"]]
    assert len(titles) == 6 and not any(i["answered"] for i in out["items"])
    # a link that does not ask is a question in a list of questions...
    assert "HTTP/2 的多路复用" in titles and "Redis 持久化方式对比" in titles
    # ... but never an entry of the table of contents or of a list of other links
    for other in ("网络", "存储", "更新日志", "关于作者"):
        assert other not in titles


def test_bullets_ask_by_their_words_or_by_their_shape() -> None:
    out = grade("notes-bullets-tell.zh.md")
    assert shape(out) == [
        ("slice 作为参数传进函数，函数里 append 之后外面能看到吗？", True, False),
        ("聊聊 Go 的 interface", True, False),  # "聊聊 …" asks
        ("string 和 []byte 的转换", True, False),  # its answer is indented under it
        ("map 的遍历顺序为什么是随机的？", True, False),
        ("goroutine 和线程有什么区别？", False, False),
    ]


def test_self_check_with_unseparated_items_and_a_short_key(tmp_path: Path) -> None:
    out = grade("notes-self-check-key.md")
    assert out["questions"] == 5 and {i["section"] for i in out["items"]} == {"Self-check"}
    assert [i["has_reference"] for i in out["items"]] == [True, True, True, False, True]
    refs = references("notes-self-check-key.md", tmp_path)
    assert "scattered over the whole tree" in refs[0]
    assert "clustered index" in refs[1]
    assert "in a script" in refs[2] and 'redis.call("DEL"' in refs[2]  # introduced by "…:"
    assert "consumer.CommitOffsets" in refs[3] and "must be idempotent" in refs[3]
    assert not any("consumer" in r for r in refs[:3])


def test_a_prompt_that_numbers_its_parts_is_graded_part_by_part() -> None:
    # "第一，… 第二，…": two requests, each graded against its own bank question
    out = grade("record-composite-parts.zh.md")
    first, second = out["items"]
    assert [p["bank_question"] for p in first["parts"]] == [
        "comp.ratelimit.algorithms",
        "comp.resilience.breaker-bulkhead-shedding",
    ]
    assert first["parts"][1]["text"].startswith("第二")
    assert all(p["score"] is not None for p in first["parts"])
    assert second["parts"] == [] and second["bank_question"] == "lang.chan.who-closes"


def test_another_request_after_a_full_stop_splits_the_prompt() -> None:
    # "…不能泄漏。另外：…" / "... leak. 另外: ..." is a second request, as "；另外" is
    prompt = (
        "Write a three-stage pipeline; if any stage fails all stages stop and nothing leaks. "
        "另外：when several goroutines send on one channel, who closes it?"
    )
    first, second = split_parts(prompt)
    assert first.endswith("nothing leaks") and second.startswith("另外")
    one = "讲讲 channel。另外两个问题以后再说"
    assert split_parts(one) == [one]  # 另外 with no 、/：after it asks nothing more
    same = "订单号不能让人推算出日单量；同时主键要对 MySQL 友好。号段、snowflake、UUIDv7 你怎么选？"
    assert split_parts(same) == [same]  # "；同时" adds a constraint to the same question


def test_the_ways_people_announce_a_second_request_split_the_prompt() -> None:
    for prompt, second in [
        ("写一段代码：30 条规则最多同时跑 8 条，任何一条报错就停。另外说一下 "
         "`WithTimeout` 和 `WithDeadline` 的区别。", "另外说一下"),
        ("写一个泛型函数 Map，最多 limit 个同时跑，第一个错误就取消剩下的。写完讲讲 "
         "errgroup.WithContext 出错后会发生什么。", "写完讲讲"),
        ("Write a bounded ring buffer whose Put and Get block and honour ctx. After that, "
         "tell me when sync.Cond is the right tool.", "After that"),
        ("写一个凑局器：凑够 10 人或等满 2 秒就开一局。另外 explain：多个 goroutine 往同一个 "
         "channel 发的时候，谁负责 close？", "另外 explain"),
        ("用 errgroup 同时查三个服务，任何一个出错其他两个立刻停。另外一个问题：ctx 取消了、"
         "channel 里还积压着任务，worker 会马上退出吗？", "另外一个问题"),
        ("写一个程序：索引只在第一次请求时建一次；然后并发去 4 个仓库拉库存，全部回来再汇总。",
         "然后并发"),
        ("写一个任务派发器，Stop 时把收下的任务做完。还有，服务跑在 K8s 里，收到 SIGTERM 以后"
         "你的 HTTP 服务怎么退出？", "还有"),
        ("Write a worker that finishes accepted jobs on deploy. And while you're at it: several "
         "handlers send on one jobs channel, who may close it?", "And while you're at it"),
        ("Write a worker type with Submit and Stop(ctx). A separate thing: a panic in a goroutine "
         "a handler started took the process down. Why?", "A separate thing"),
    ]:  # fmt: skip
        first, rest = split_parts(prompt)
        assert rest.lstrip("。. ").startswith(second), (prompt, rest)
        assert second not in first


def test_the_parts_of_a_question_take_different_bank_questions() -> None:
    a, b, c = m.index_for(load_bank()).questions[:3]
    both_want_a = [
        [m.Candidate(a, 1.5), m.Candidate(b, 1.2)],
        [m.Candidate(a, 1.6), m.Candidate(c, 0.5)],
    ]
    # the best total with a different question each: the first part yields a to the second
    assert [x.question.id for x in m._distinct_picks(both_want_a, 1.0) or []] == [b.id, a.id]
    # and when one part has nothing else good enough, the question is not split
    assert m._distinct_picks([[m.Candidate(a, 1.5)], [m.Candidate(a, 1.6)]], 1.0) is None


def test_the_answer_does_not_hand_a_part_the_question_another_part_asks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the answer speaks to every part. Read with it, the first part's only candidate good
    # enough is the Mutex question the second part asks in its own words: that one is the
    # second part's, so the first has nothing of its own and the question is matched whole
    # (before, the first part took Mutex and the second was left with sync.Cond)
    bank = load_bank()
    once, mutex, cond = (
        bank.get(i)
        for i in ("lang.sync.once-semantics", "lang.sync.mutex-starvation", "lang.sync.cond")
    )
    index = m.BankIndex(bank)  # the lexical threshold: a part needs 0.35

    def ranked(ask: str, answer: str = "") -> list[m.Candidate]:
        if "索引" in ask and "Mutex" in ask:  # the whole question
            return [m.Candidate(mutex, 1.0)]
        if "Mutex" in ask:
            return [m.Candidate(mutex, 2.9), m.Candidate(cond, 1.2)]
        if answer:
            return [m.Candidate(mutex, 0.98), m.Candidate(once, 0.3)]
        return [m.Candidate(once, 0.3)]

    monkeypatch.setattr(index, "ranked", ranked)
    doc = parse_markdown(
        "### 1. 装备目录\n\n**面试官**：写一个程序：索引只能建一次。另外讲讲 Mutex 的饥饿模式。\n\n"
        "**候选人回答**：\n\n等待超过 1ms 切到饥饿模式，锁直接交给队头的等待者。\n"
    )
    parts = m.match_question(index, doc.questions[0], coverage=None)
    assert [p.chosen_id for p in parts] == ["lang.sync.mutex-starvation"]


def test_correct_letters_written_together_are_each_correct(tmp_path: Path) -> None:
    # "### Correct answer: AC" names two letters, as "A, C" would
    refs = references("notes-cards-mixed-labels.md", tmp_path)
    once = next(r for r in refs if "no Reset method" in r)
    assert once.startswith("正确答案 / correct: A、C")


def test_an_unnumbered_key_of_restated_entries_pairs_by_content(tmp_path: Path) -> None:
    # entries open with a bold restatement and are split by `---`; one holds a numbered list
    # (not a numbered key), one opens with code, and the idempotency question has no entry
    out = grade("notes-key-restated.md")
    assert out["questions"] == 5
    assert [i["has_reference"] for i in out["items"]] == [True, True, True, False, True]
    assert any("4 entries" in n["message"] for n in out["notices"])
    refs = references("notes-key-restated.md", tmp_path)
    assert "crashes" in refs[0] and "tolerate duplicates" in refs[0]
    assert "dead-letter queue" in refs[1] and "keep consuming the rest" in refs[1]
    assert "wg.Go(func()" in refs[2] and "drains on shutdown" in refs[2]
    assert "Consumer lag" in refs[-1] and "drains" not in refs[-1]


def test_a_compact_key_pairs_one_list_item_per_question(tmp_path: Path) -> None:
    # the key is one bulleted paragraph, an item per question; a nested bullet stays with
    # its item
    out = grade("notes-compact-key.zh.md")
    assert [i["has_reference"] for i in out["items"]] == [True, True, True, True]
    refs = references("notes-compact-key.zh.md", tmp_path)
    assert "正则" in refs[0] and "logger.With" not in refs[0]
    assert "logger.With" in refs[1] and "从 context 取出来用" in refs[1]
    assert "Gauge 可增可减" in refs[2] and "traceparent" in refs[3]


def test_questions_a_level_lower_after_a_placeholder_answer_are_questions() -> None:
    # "## Q" answered "_to be written_", then "### 缓存穿透是什么？" and "### 缓存雪崩又是什么？"
    # with their own 解答: an answer with nothing in it has no sub-headings
    out = grade("notes-lower-questions.md")
    assert [i["title"] for i in out["items"]] == [
        "How does a covering index avoid going back to the table?",
        "How would you shard the order table of a fast-growing shop?",
        "缓存穿透是什么？怎么防？",
        "缓存雪崩又是什么？",
        "What does Redis's `SET key value NX PX 30000` do?",
    ]
    # "> **Answer:**" is the note's answer, "**解答：**" its key (a reference)
    assert [(i["answered"], i["has_reference"]) for i in out["items"]] == [
        (True, False), (False, False), (False, True), (False, True), (True, False),
    ]  # fmt: skip


def test_a_one_line_details_block_leaves_no_html_in_the_reference() -> None:
    doc = parse_markdown(
        "### 1. 压测机报 `connect: cannot assign requested address`，为什么？\n\n"
        "<details><summary>答案</summary>本地端口被 TIME_WAIT 占满。</details>\n\n"
        "### 2. channel 关闭后还能读吗？\n\n<details>\n<summary>答案</summary>\n\n"
        "能，读到零值。\n\n</details>\n"
    )
    first, second = doc.questions
    assert first.reference == "本地端口被 TIME_WAIT 占满。"
    assert second.reference is not None and "能，读到零值" in second.reference
    assert "details" not in (second.reference or "")


def test_a_key_entry_may_open_with_the_code_its_question_quotes() -> None:
    # the third entry opens with a code block: it belongs to the question quoting `return &cfg`
    questions = [
        "How does a goroutine's stack grow during deep recursion?",
        "Why is `return &cfg` from a Go function fine?",
        "Which structure lets small allocations skip the lock?",
    ]
    code = "```go\nfunc f() *Config {\n\tcfg := Config{}\n\treturn &cfg\n}\n```"
    units = [
        keyalign.Unit("morestack allocates a twice larger stack and copies the frames.", 1, False),
        keyalign.Unit(code, 3, True),
        keyalign.Unit("Escape analysis puts cfg on the heap; the GC keeps it alive.", 9, False),
        keyalign.Unit("The per-P mcache serves small sizes without a lock.", 11, False),
    ]
    groups = keyalign.align(questions, units)
    assert [[u.line for u in g] for g in groups] == [[1], [3, 9], [11]]


def test_a_question_index_keeps_bracketed_titles_and_drops_its_reading_list() -> None:
    doc = parse_markdown(
        "# 面试题索引\n\n## 并发\n\n"
        "- [`[]byte(s)` 和 `string(b)` 什么时候会拷贝？](lang/conv.md)\n"
        "- [atomic.Value 和 atomic.Pointer[T] 该选哪个？](sync/atomic.md)\n"
        "- [WaitGroup 的 Add 为什么不能放进 goroutine？](sync/wg.md)\n"
        "- [sync.Cond 的用法](sync/cond.md)\n\n"
        "相关链接：\n\n"
        "- [Effective Go](https://go.dev/doc/effective_go)\n"
        "- [Go FAQ](https://go.dev/doc/faq)\n"
    )
    assert [q.title for q in doc.questions] == [
        "`[]byte(s)` 和 `string(b)` 什么时候会拷贝？",
        "atomic.Value 和 atomic.Pointer[T] 该选哪个？",
        "WaitGroup 的 Add 为什么不能放进 goroutine？",
        "sync.Cond 的用法",  # no question mark, but a link to an answer page like the rest
    ]


def test_a_question_that_goes_on_before_its_hidden_answer_is_all_prompt() -> None:
    doc = parse_markdown(
        "## 1. 秒杀系统从上到下怎么设计？\n\n"
        "1 万件商品，100 万人抢，开抢瞬间 50 万 QPS，每一层怎么削峰、怎么防超卖？\n\n"
        "<details>\n<summary>答案</summary>\n\n- 客户端：按钮置灰、随机延迟；\n"
        "- 库存：Redis Lua 预扣。\n\n</details>\n\n"
        "## 2. channel 关闭后还能读吗？\n\n我的理解：能读，读完缓冲里的值后得到零值。\n\n"
        "<details>\n<summary>答案</summary>\n\n能，ok 为 false。\n\n</details>\n"
    )
    first, second = doc.questions
    assert "开抢瞬间 50 万 QPS" in first.prompt and first.answer is None
    assert first.reference is not None and "Redis Lua 预扣" in first.reference
    # a paragraph that does not ask is the note's own answer, as before
    assert second.answer is not None and "读完缓冲里的值" in second.answer


def test_a_question_heading_that_says_feedback_is_still_a_question() -> None:
    # "反馈" names a meta section ("## 面试反馈"), but a long numbered heading that asks is a
    # question that happens to use the word
    doc = parse_markdown(
        "## 1. 服务重启后第一个请求特别慢，为什么？\n\n答：连接池和缓存都是冷的。\n\n"
        "## 2. 导出接口用 sync.Pool 复用 buffer，上线后有用户反馈导出的文件里混进了别人的内容，"
        "可能是哪里错了？\n\n答：放回池子后还在被异步写用。\n\n"
        "## 面试反馈\n\n整体不错。\n"
    )
    assert [q.number for q in doc.questions] == [1, 2]
    assert doc.questions[1].answer is not None and "异步写" in doc.questions[1].answer


def test_a_closing_note_after_a_rule_is_not_the_last_answer() -> None:
    doc = parse_markdown(
        "### 1. Leaderboard cache\n\n**Interviewer**: How do you keep it fresh?\n\n"
        "**Candidate**: Invalidate on write, and expire after a minute.\n\nSummary: both work.\n\n"
        "### 2. Viewer counter\n\n**Interviewer**: How would you count viewers?\n\n"
        "**Candidate**: [在此作答]\n\n---\n\n**Overall**: strong on caching; skipped one.\n"
    )
    first, second = doc.questions
    # the candidate's own "Summary:" stays: no rule sets it apart
    assert first.answer is not None and "Summary: both work." in first.answer
    assert second.answer is None and second.unanswered == "placeholder"
    assert second.end_line == 13  # the placeholder line, not the note
    # a panel's note reads the same
    panel = parse_markdown(
        "### 1. Viewer counter\n\n**Interviewer**: How would you count viewers?\n\n"
        "**Candidate**: Sharded counters, summed every second.\n\n---\n\n"
        "Panel note: good incident story; interface internals not reached.\n"
    )
    assert "Panel note" not in (panel.questions[0].answer or "")
    # a note named by who wrote it, with or without a colon, after the rule
    for note in (
        "Closing note from the interviewer: strong on scheduling; move to the design round.",
        "_Prep notes from the platform team, autumn 2026. The last two are still open._",
    ):
        closing = parse_markdown(
            "### 1. Viewer counter\n\n**Interviewer**: How would you count viewers?\n\n"
            "**Candidate**: Sharded counters, summed every second.\n\n"
            "### 2. Schema migrations\n\n**Interviewer**: Who runs them at start-up?\n\n"
            f"**Candidate**:\n\n---\n\n{note}\n"
        )
        last = closing.questions[-1]
        assert len(closing.questions) == 2 and not last.answered, note
        assert "note" not in (last.answer or "").lower(), note


def test_match_overrides_the_matcher_for_one_question() -> None:
    # question 1 is an incident story the bank does not hold close enough: ungradable, and the
    # message names the option that grades it with the nearest bank question
    doc = str(READER / "record-match-override.zh.md")
    plain = grade("record-match-override.zh.md")
    first, second = plain["items"]
    assert first["graded_by"] is None and f"--match 1={first['nearest']}" in first["ungradable"]
    assert second["graded_by"] == "bank" and not second["chosen_by_user"]

    proc = run_cli(
        "grade", "doc", doc, "--json", "--no-build", "--no-history",
        "--match", "1=lang.chan.who-closes", "--match", "2=none", timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    first, second = json.loads(proc.stdout)["items"]
    assert (first["bank_question"], first["graded_by"], first["chosen_by_user"]) == (
        "lang.chan.who-closes", "bank", True,
    )  # fmt: skip
    assert second["graded_by"] is None and "--match" in second["ungradable"]
    md = run_cli(
        "grade", "doc", doc, "--no-build", "--no-history", "--match", "1=lang.chan.who-closes"
    )
    assert "(chosen with --match)" in md.stdout or "由 --match 指定" in md.stdout


def test_match_rejects_what_it_cannot_use() -> None:
    doc = str(READER / "record-match-override.zh.md")
    for value, says in [
        ("3=lang.chan.who-closes", "has 2 questions"),
        ("1=lang.chan.who-close", "did you mean lang.chan.who-closes?"),
        ("1", "expected N=ID"),
    ]:
        proc = run_cli("grade", "doc", doc, "--no-build", "--no-history", "--match", value)
        assert proc.returncode == 1 and says in proc.stderr, (value, proc.stderr)


def test_a_long_collection_keeps_its_numbers_past_200() -> None:
    text = "".join(
        f"### {n}. 第 {n} 题：channel 关闭后还能读吗？\n\n答：能读到零值。\n\n"
        for n in range(1, 261)
    )
    doc = parse_markdown(text + "### 2024 年总结\n\n一年的复盘。\n")
    assert [q.number for q in doc.questions] == list(range(1, 261))
    assert doc.questions[-1].title.startswith("第 260 题")


def test_a_long_part_is_shown_cut_with_an_ellipsis() -> None:
    from gointerview.docimport.grade import DocItem, PartItem
    from gointerview.docimport.render import _item_lines

    text = "写一个程序：用 sync.Once 初始化配置，用 WaitGroup 等 10 个 goroutine 结束，" * 2
    once = "lang.sync.once-semantics"
    item = DocItem(
        index=1, number=1, line=1, section=None, title="并发", answered=True, unanswered=None,
        answer_line=3, has_reference=False, graded_by="bank", bank_question=once,
        similarity=2.0, nearest=once, score=0.5, level="了解",
        parts=[PartItem(text=text, bank_question=once, similarity=2.0, score=0.5, level="了解")],
    )  # fmt: skip
    part_line = next(line for line in _item_lines(item, "zh") if "第 1 部分" in line)
    shown = part_line.split("「", 1)[1].split("」", 1)[0]
    assert shown.endswith("…") and len(shown) <= 60 and text.startswith(shown[:-1])


def test_a_long_heading_that_asks_without_a_question_mark_is_a_question() -> None:
    # "Tell me about …" and "讲一次……" set a task: as long headings among questions they are
    # questions, as the first H1 and as a stray heading one level above the others
    first_h1 = parse_markdown(
        "# Why does the validator need twice as many pods since the spring launch?\n\n"
        "Patterns are compiled per request.\n\n"
        "# Tell me about a performance improvement you made and could actually measure.\n\n"
        "p99 went from 480 ms to 310 ms after reusing buffers.\n\n"
        "# What does building with GOAMD64=v3 buy us?\n\nAVX2 and friends.\n"
    )
    assert [q.title[:8] for q in first_h1.questions] == ["Why does", "Tell me ", "What doe"]
    mixed = parse_markdown(
        "# 拍卖后端面试复盘\n\n## 稳定性\n\n"
        "#### 估价 API 的全局限流放在 Redis 上，热 key 所在分片 CPU 打满，怎么查、怎么改？\n\n"
        "本地预取配额。\n\n"
        "### 讲一次你处理过的线上事故：同一辆车被两个买家同时拍下，按现象、止损、根因、修复讲。\n\n"
        "#### 用泛型写一个保持插入顺序的 map，循环里删元素也不能出错，怎么写？\n\n"
        "## 小结\n\n三面问得比较散。\n"
    )
    assert [q.title[:4] for q in mixed.questions] == ["估价 A", "讲一次你", "用泛型写"]


def test_a_question_index_keeps_symptoms_told_as_statements() -> None:
    # most linked pages ask; a section of symptoms written as sentences is questions too, while
    # a page name ("贡献指南") and a list after a rule are not
    doc = parse_markdown(
        "# 考试平台面试题索引\n\n## 运行时\n\n"
        "- [sysmon 是什么？它跑在哪个线程上？](rt/sysmon.md)\n"
        "- [Go 1.24 换了 map 实现以后，遍历顺序还是随机的吗？](rt/map.md)\n"
        "- [判分 worker 卡在 `<-jobs` 上又被唤醒，运行时里依次发生了什么？](rt/park.md)\n"
        "- [设计一个设备遥测接入网关：10 万台设备](design/gateway.md)\n\n"
        "---\n\n相关链接：\n\n- [Go FAQ](https://go.dev/doc/faq)\n- [上一版题库](old/index.md)\n\n"
        "## 存储\n\n"
        "- [南方机房的考生改了手机号，刷新页面还是旧号码，要过好几分钟才变过来](db/stale.md)\n"
        "- [放榜那一刻几十万考生同时刷分数段，缓存集群里只有一台机器被打满](db/hot.md)\n"
        "- [考场座位锁用 RedLock，争论双方到底在争什么？](db/redlock.md)\n\n"
        "## 其他\n\n- [贡献指南](../CONTRIBUTING.md)\n"
    )
    assert [q.title[:4] for q in doc.questions] == [
        "sysm", "Go 1", "判分 w", "设计一个", "南方机房", "放榜那一", "考场座位",
    ]  # fmt: skip


def test_a_code_block_using_what_its_paragraph_quotes_stays_with_that_entry() -> None:
    # the JSON after the paging entry uses `search_after`, which that entry quotes: it is not
    # the opening of the next entry, though its `id` key is a word of the next question
    questions = [
        "（ES）客服检索页每页 50 条，翻到第 201 页就报错了，为什么？怎么改？",
        "（MySQL）count(*)、count(1)、count(id) 有什么区别？",
    ]
    units = [
        keyalign.Unit(
            "from/size 深翻页每个分片都要取 from+size 条再汇总，默认上限 10000 条；"
            "翻页改用 `search_after` 加 PIT，按排序值接着取。",
            1,
            False,
        ),
        keyalign.Unit(
            '```json\n{"size": 1000, "sort": [{"ts": "asc"}], "pit": {"id": "…"},\n'
            ' "search_after": [1733011200000, 42]}\n```',
            3,
            True,
        ),
        keyalign.Unit("三者在 InnoDB 里基本一样，只有 count(可空列) 不数 NULL。", 7, False),
    ]
    groups = keyalign.align(questions, units)
    assert [[u.line for u in g] for g in groups] == [[1, 3], [7]]


def test_an_answer_area_keeps_sub_headings_numbered_past_the_next_question() -> None:
    # "**Answer area:**" / "**候选人回答区**：" open the answer: its "### 1. / ### 2. / ### 3."
    # sub-headings are the answer's, up to the next heading that carries an interviewer's prompt
    for label in ("**Answer area:**", "**候选人回答区**："):
        doc = parse_markdown(
            "### 1. Retrying the partner API\n\n**Interviewer:** Write the retry helper.\n\n"
            f"{label}\n\n### 1. Which errors I retry\n\nResets and 503s.\n\n"
            "### 2. Why jitter\n\nSo retries do not come in waves.\n\n"
            "### 3. Spotting a timeout\n\nerrors.Is(err, context.DeadlineExceeded).\n\n"
            "### 2. The printer bridge\n\n**Interviewer:** Goroutines pile up. Why?\n\n"
            f"{label}\n\nTODO\n\n"
            "### 3. Menus at 03:00\n\n**Interviewer:** How do menus reach every store?\n\n"
            f"{label}\n\nA versioned snapshot.\n\n"
            "### 4. Lunch rush\n\n**Interviewer:** p99 doubles at noon. Where do you look?\n\n"
            f"{label}\n\nThe mutex profile.\n"
        )
        first, second, _, _ = doc.questions
        assert first.answer is not None and "errors.Is" in first.answer, label
        assert second.title == "The printer bridge" and second.answer is None


def test_headings_that_tell_a_situation_are_questions_among_asking_ones() -> None:
    # notes whose questions are unnumbered headings that mostly ask: a long heading that tells a
    # symptom ("…even cache hits are slow.") is one of them; the title and a short topic are not
    doc = parse_markdown(
        "# 智慧温室项目 · Go 面试复习笔记\n\n## 一、并发与语言\n\n"
        "#### 卷帘电机的命令走 Kafka 下发，同一个大棚的命令必须按先后执行，怎么保证？\n\n"
        "#### 每个传感器的读数在内存里算滑动平均，map 被好几个采集 goroutine 同时更新，"
        "进程隔几天就整个退出\n\n并发写 map 是 fatal error，recover 接不住。\n\n"
        "### 浇水计划执行器每次发版后第一分钟都有一批请求失败，你怎么改？\n\n先摘流量再退出。\n\n"
        "#### 为什么 errors.Is 抓不到 Modbus 读寄存器的超时？\n\n"
        "## 二、存储\n\n"
        "#### 控制面板的 WebSocket 连接每隔整 60 秒就断一次，服务端日志里没有任何错误\n\n"
        "## 小结\n\n复习得还不够。\n"
    )
    assert [q.title[:6] for q in doc.questions] == [
        "卷帘电机的命", "每个传感器的", "浇水计划执行", "为什么 er", "控制面板的 ",
    ]  # fmt: skip
    assert doc.questions[1].answer is not None and "fatal error" in doc.questions[1].answer


def test_key_points_inside_a_hidden_answer_are_the_reference() -> None:
    doc = parse_markdown(
        "### 4. 派单协程池：有界队列，满了提交方要等；停机时收下的单要派完，怎么写？\n\n"
        "<details>\n<summary><b>答案</b></summary>\n\n要点：\n\n"
        "1. 队列用有缓冲 channel，Submit 在 select 里同时等放入和 ctx；\n"
        "2. Stop 先置关闭标志，而不是去 close 队列 channel。\n\n</details>\n\n"
        "### 5. 导出 CSV 时 pprof 顶上全是 concatstrings，为什么？\n\n"
        "<details>\n<summary>答案</summary>\n\n循环里 s += line 是平方级拷贝。\n\n</details>\n"
    )
    first, _ = doc.questions
    assert first.answer is None
    assert first.reference is not None and "而不是去 close 队列 channel" in first.reference


def test_topic_prefixed_lines_are_a_quiz_whatever_the_section_is_called() -> None:
    # "## Cards" names no quiz, but three and more one-line items with a topic prefix are one;
    # a section of prose that mentions a topic once is not
    doc = parse_markdown(
        "# Infra review cards\n\nNotes from the on-call rotation.\n\n## Cards\n\n"
        "（Kafka） 消费者组里新加了一台机器，整个组停了几秒没消费，发生了什么？\n"
        "（Redis） Why is one SET with NX and PX the right way to take a lock?\n"
        "（MySQL） 索引是 (city, district)，只按 district 筛选时为什么全表扫描\n\n"
        "## Key\n\nA new member triggers a rebalance of the whole group.\n\n"
        "SETNX and EXPIRE are two commands; SET with NX PX is atomic.\n\n"
        "Without the leftmost column there is no range to seek into.\n"
    )
    assert [q.tag for q in doc.questions] == ["Kafka", "Redis", "MySQL"]
    assert "rebalance" in (doc.questions[0].reference or "")
    assert "atomic" in (doc.questions[1].reference or "")
    prose = parse_markdown(
        "# Notes\n\n## Background\n\n（Kafka） we moved to cooperative rebalancing last year.\n"
        "It made deploys calmer.\nNobody misses the old assignor.\n"
    )
    assert prose.questions == []


def test_a_part_about_two_named_things_is_read_once_per_name() -> None:
    # "Mutex 和 RWMutex 分别怎么实现" asks two bank questions: read once per name, each
    # keeping the request; the matcher splits it when each reading finds its own question
    assert split_pair("写完再讲讲 Mutex 和 RWMutex 在运行时里分别是怎么实现的") == [
        "写完再讲讲 Mutex 在运行时里分别是怎么实现的",
        "写完再讲讲 RWMutex 在运行时里分别是怎么实现的",
    ]
    assert split_pair("Then explain how `sync.Once` and WaitGroup work") == [
        "Then explain how `sync.Once` work",
        "Then explain how WaitGroup work",
    ]
    for one in (
        "GOGC 和 GOMEMLIMIT 有什么区别",  # a comparison is one question
        "Put blocks when it is full and empty",  # English words, not names from code
        "讲讲 Kafka 和 Redis",  # no name from code on either side
        "讲讲 Mutex 的正常模式和饥饿模式",  # no pair of names at all
    ):
        assert split_pair(one) is None, one
