"""Optional LLM judge: asks any OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp
server, hosted APIs) for a structured verdict on one answer.

The judge only refines the offline grade, never replaces it: its point statuses are accepted
only with a quote that really occurs in the answer, its score is averaged with the offline
one, and any failure — timeout, HTTP error, malformed JSON after the retries — leaves the
offline grade as it was, with a note saying why.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Protocol

from gointerview.grading.text.rubric import Rubric


class JudgeError(Exception):
    pass


@dataclass(frozen=True)
class PointVerdict:
    id: str
    status: str  # hit | partial | missed
    quote: str = ""


@dataclass(frozen=True)
class JudgeVerdict:
    score: float  # 0-100
    points: list[PointVerdict] = field(default_factory=list)
    misconceptions: list[str] = field(default_factory=list)


class Judge(Protocol):
    name: str

    def judge(self, rubric: Rubric, answer: str, *, lang: str) -> JudgeVerdict: ...


SYSTEM_PROMPT = (
    "You grade answers in a Go backend engineering interview. Judge only against the rubric. "
    "Reply with one JSON object and nothing else: "
    '{"score": <0-100>, "points": [{"id": "<key point id>", "status": "hit|partial|missed", '
    '"quote": "<exact words from the answer that show it, or empty>"}], '
    '"misconceptions": ["<id of each misconception the answer states>"]}'
)


def build_messages(rubric: Rubric, answer: str, lang: str) -> list[dict[str, str]]:
    points = "\n".join(f"- {p.id} (weight {p.weight:g}): {p.wording(lang)}" for p in rubric.points)
    wrong = (
        "\n".join(
            f"- {m.id}: {m.claim.get(lang) or m.claim.get('en', '')}" for m in rubric.misconceptions
        )
        or "- (none listed)"
    )
    question = rubric.question.get(lang) or next(iter(rubric.question.values()), "")
    reference = rubric.reference.get(lang) or next(iter(rubric.reference.values()), "")
    user = (
        f"Question:\n{question}\n\nReference answer:\n{reference}\n\nKey points:\n{points}\n\n"
        f"Known misconceptions:\n{wrong}\n\nCandidate's answer:\n{answer}"
    )
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def parse_verdict(content: str, rubric: Rubric) -> JudgeVerdict:
    text = content.strip()
    if text.startswith("```"):  # models love fences even when told not to
        text = text.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(text[text.find("{") : text.rfind("}") + 1])
    except ValueError as exc:
        raise JudgeError(f"the judge did not return JSON: {content[:120]!r}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("score"), int | float):
        raise JudgeError("the judge's JSON has no numeric `score`")
    known = {p.id for p in rubric.points}
    points = [
        PointVerdict(str(p["id"]), str(p.get("status", "missed")), str(p.get("quote") or ""))
        for p in data.get("points", [])
        if isinstance(p, dict)
        and p.get("id") in known
        and p.get("status") in ("hit", "partial", "missed")
    ]
    known_m = {m.id for m in rubric.misconceptions}
    wrong = [str(m) for m in data.get("misconceptions", []) if m in known_m]
    return JudgeVerdict(min(100.0, max(0.0, float(data["score"]))), points, wrong)


class OpenAICompatibleJudge:
    """POST {base_url}/chat/completions with temperature 0, a timeout and retries."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = 30.0,
        retries: int = 2,
        backoff: float = 0.5,
    ) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.name = f"judge:{model}"

    def _post(self, payload: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(
            self.url, data=json.dumps(payload).encode(), headers=headers, method="POST"
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            body: dict[str, Any] = json.loads(response.read())
            return body

    def judge(self, rubric: Rubric, answer: str, *, lang: str) -> JudgeVerdict:
        payload = {
            "model": self.model,
            "temperature": 0,
            "messages": build_messages(rubric, answer, lang),
            "response_format": {"type": "json_object"},
        }
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            try:
                body = self._post(payload)
                content = body["choices"][0]["message"]["content"]
                return parse_verdict(str(content), rubric)
            except urllib.error.HTTPError as exc:
                last = JudgeError(f"HTTP {exc.code} from {self.url}")
                if exc.code < 500 and exc.code != 429:
                    break  # a client error will not fix itself
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                last = JudgeError(f"cannot reach {self.url}: {exc}")
            except (KeyError, IndexError, TypeError, ValueError, JudgeError) as exc:
                last = (
                    exc
                    if isinstance(exc, JudgeError)
                    else JudgeError(f"unexpected reply shape from {self.url}: {exc}")
                )
            if attempt < self.retries:
                time.sleep(self.backoff * 2**attempt)
        raise last or JudgeError("the judge failed")
