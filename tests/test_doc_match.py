"""Matching a document question to the bank by meaning (docimport.match): across languages
with the sentence encoder, the lexical fallback without it, and composite questions split."""

from __future__ import annotations

from pathlib import Path

import pytest

from gointerview.bank import Bank, Question, load_bank
from gointerview.bank.loader import SourcedQuestion
from gointerview.bank.schema import Text
from gointerview.docimport import match as m
from gointerview.docimport.encoder import load_encoder
from gointerview.docimport.parse import parse_markdown

BANK = load_bank()
ENCODER = load_encoder()
needs_encoder = pytest.mark.skipif(ENCODER is None, reason="the `semantic` extra is not installed")


def english_only(bank: Bank) -> Bank:
    """The bank as a user bank written in English alone would be."""
    entries = []
    for e in bank.entries:
        q = e.question
        stripped = q.model_copy(
            update={
                "prompt": Text(en=q.prompt.en),
                "reference_answer": Text(en=q.reference_answer.en),
                "key_points": [],
                "tags": [],
            }
        )
        entries.append(SourcedQuestion(stripped, e.path, e.node))
    return Bank(tuple(entries))


@needs_encoder
@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("谁应该负责关闭 channel？有多个发送方时怎么办？", "lang.chan.who-closes"),
        ("GMP 模型里 P 的作用是什么？", "rt.sched.gmp-roles"),
        ("sync.Mutex 的饥饿模式是怎么回事？", "lang.sync.mutex-starvation"),
    ],
)
def test_a_chinese_question_finds_an_english_only_prompt(asked: str, expected: str) -> None:
    index = m.BankIndex(english_only(BANK), encoder=ENCODER)
    result = index.match(asked)
    assert result.matched is not None and result.matched.id == expected


def test_the_lexical_index_decides_without_the_encoder() -> None:
    index = m.BankIndex(BANK, encoder=None)
    assert index.threshold == m.MATCH_AT_LEXICAL
    found = index.match("Redis 的 RDB 和 AOF 有什么区别？线上一般怎么配？")
    assert found.matched is not None and found.matched.id == "comp.redis.rdb-vs-aof"
    assert index.match("怎样给猫剪指甲？").matched is None


def test_a_composite_question_is_matched_part_by_part() -> None:
    doc = parse_markdown(
        "### 3. 并发编程\n\n**面试官**: 写一个程序：用 sync.Once 初始化配置，用 WaitGroup 等 10 个 "
        "goroutine 结束；另外说说 Mutex 和 RWMutex 的实现原理。\n\n**候选人回答区域**:\n\n"
        "once.Do 保证只执行一次。Mutex 有正常模式和饥饿模式，RWMutex 用 readerCount 计数。\n"
    )
    parts = m.match_question(m.index_for(BANK), doc.questions[0])
    assert len(parts) == 2
    assert parts[0].chosen_id == "lang.sync.once-semantics"
    assert parts[1].chosen_id in {
        "lang.sync.rwmutex-writer-preference",
        "lang.sync.mutex-starvation",
    }


def test_the_encoder_cache_survives_a_new_bank(tmp_path: Path) -> None:
    if ENCODER is None:
        pytest.skip("the `semantic` extra is not installed")
    small = Bank(BANK.entries[:5])
    first = ENCODER.similarities("channel", [[q.prompt.zh, q.prompt.en] for q in small.questions])
    bigger = Bank(BANK.entries[:6]).questions
    again = ENCODER.similarities("channel", [[q.prompt.zh, q.prompt.en] for q in bigger])
    assert again[:5] == pytest.approx(first)


@needs_encoder
def test_an_answer_that_covers_a_rubric_finds_the_question_its_wording_did_not() -> None:
    # the wording is a situation ("十万个 goroutine, 4 个 CPU"); the answer is a GMP answer: the
    # candidate whose rubric it covers is taken, though its score alone is below MATCH_AT
    doc = parse_markdown(
        "### 1. 推送服务同时挂着十万个 goroutine，机器只有 4 个 CPU，它们是怎么轮流跑起来的？\n\n"
        "**候选人回答**：\n\n"
        "G 是 goroutine，M 是操作系统线程，P 是执行 Go 代码需要的处理器资源，数量等于 "
        "GOMAXPROCS。每个 P 有本地运行队列，新建的 G 先放进当前 P 的本地队列，满了分一半到全局"
        "队列。M 必须拿到 P 才能执行 G。P 的队列空了先看全局队列，再去别的 P 偷一半。G 进系统"
        "调用阻塞时 M 和 P 分开，P 交给别的 M 继续跑；网络 IO 交给 netpoller，G 挂起不占线程。\n"
    )
    index = m.index_for(BANK)
    (question,) = doc.questions
    (weighed,) = m.match_question(index, question)
    (unweighed,) = m.match_question(index, question, coverage=None)
    assert weighed.chosen_id == "rt.sched.gmp-roles"
    assert unweighed.chosen_id is None


def _candidates(*scores: tuple[str, float]) -> list[m.Candidate]:
    return [m.Candidate(BANK.get(qid), s) for qid, s in scores]


@needs_encoder
def test_a_score_is_taken_or_left_by_how_much_of_the_rubric_the_text_covers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index = m.BankIndex(BANK, encoder=ENCODER)
    shares: dict[str, float] = {}

    def coverage(question: Question, text: str) -> float:
        return shares[question.id]

    def match_with(*scores: tuple[str, float]) -> m.MatchResult:
        monkeypatch.setattr(index, "ranked", lambda ask, answer="": _candidates(*scores))
        return index.match("…", "an answer", coverage)

    # above MATCH_AT, but the answer touches a tenth of the rubric: an off-bank near miss
    shares.update({"comp.redis.hot-big-keys": 0.1, "comp.cache.penetration-avalanche": 0.0})
    near_miss = match_with(
        ("comp.redis.hot-big-keys", 1.45), ("comp.cache.penetration-avalanche", 0.9)
    )
    assert near_miss.matched is None
    # below MATCH_AT, the answer covers most of it; among near-ties the better-covered wins
    shares.update({"lang.goroutine.vs-thread": 0.2, "rt.sched.gmp-roles": 0.9})
    covered = match_with(("lang.goroutine.vs-thread", 1.05), ("rt.sched.gmp-roles", 1.0))
    assert covered.matched is not None and covered.matched.id == "rt.sched.gmp-roles"
    # a sure score needs no cover
    assert match_with(("comp.redis.hot-big-keys", 1.7)).matched is not None
    # without text to weigh, the score alone decides, as before
    monkeypatch.setattr(
        index, "ranked", lambda ask, answer="": _candidates(("comp.redis.hot-big-keys", 1.45))
    )
    assert index.match("…", "", coverage).matched is not None


@needs_encoder
def test_a_question_without_text_is_taken_at_the_wording_threshold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # no answer and no reference: nothing for the grader to weigh, so the score decides, at
    # WORDING_AT (chosen on such questions alone), not at MATCH_AT
    index = m.BankIndex(BANK, encoder=ENCODER)

    def match_at(score: float) -> m.MatchResult:
        monkeypatch.setattr(
            index, "ranked", lambda ask, answer="": _candidates(("eng.leak.goroutine-leak", score))
        )
        return index.match("…", "", m.rubric_share)

    between = (m.WORDING_AT + m.MATCH_AT) / 2
    assert m.WORDING_AT < m.MATCH_AT
    assert match_at(between).matched is not None
    assert match_at(m.WORDING_AT - 0.05).matched is None
    # `bank import` weighs nothing and keeps MATCH_AT
    monkeypatch.setattr(
        index, "ranked", lambda ask, answer="": _candidates(("eng.leak.goroutine-leak", between))
    )
    assert index.match("…", "").matched is None
