"""schemathesis against the OpenAPI schema: every operation, valid and invalid inputs,
bounded examples, no 500.

Requests carry the CSRF token and its browser cookie, and the session id is a real
session's, so the generated bodies reach the handlers instead of stopping at 403/404.
(schemathesis's pytest plugin does not run under pytest 9, so the operations are driven
through its Hypothesis strategies directly.)"""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Err

from web.conftest import client, csrf

EXAMPLES = 8  # per operation and mode: about 300 requests in all


def test_no_operation_answers_500(local_app: FastAPI) -> None:
    c = client(local_app)
    token = csrf(c)
    started = c.post(
        "/api/sessions", json={"plan": "screen", "seed": 99}, headers={"X-CSRF-Token": token}
    )
    assert started.status_code == 201
    session_id = started.json()["id"]
    headers = {"X-CSRF-Token": token}
    cookies = {"gi_browser": c.cookies["gi_browser"]}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", local_app)
    failures: list[str] = []
    calls = 0
    operations = []
    for result in schema.get_all_operations():
        assert not isinstance(result, Err), result  # the schema itself is valid
        operations.append(result.ok())
    assert len(operations) >= 15
    for operation in operations:
        pinned = {"session_id": session_id} if "{session_id}" in operation.path else None
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(mode, path_parameters=pinned))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                nonlocal calls
                calls += 1
                response = case.call(headers=headers, cookies=cookies)
                if response.status_code >= 500:
                    failures.append(
                        f"{case.operation.label}: {response.status_code} {case.body!r:.200}"
                    )

            try:
                run()
            except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert not failures, failures
    assert calls > 100


def test_the_schema_describes_the_api(local_app: FastAPI) -> None:
    spec = client(local_app).get("/api/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/api/sessions",
        "/api/sessions/{session_id}/answer",
        "/api/bank/{question_id}",
        "/api/grade",
        "/api/sessions/{session_id}/draft",
    } <= paths
    assert not any(p.startswith("/sessions") or p == "/" for p in paths)  # pages stay out
