"""Matching a document question to the bank by meaning (docimport.match): across languages
with the sentence encoder, the lexical fallback without it, and composite questions split."""

from __future__ import annotations

from pathlib import Path

import pytest

from gointerview.bank import Bank, load_bank
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
