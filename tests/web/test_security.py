"""Who may do what, and hostile input: sign-in off loopback, the sign-in rate limit, CSRF,
one user's sessions invisible to another, rubric secrecy on the raw responses, oversized and
non-UTF-8 bodies, and error pages that never show a traceback or SQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from gointerview.bank import Bank
from gointerview.exercises.catalog import Catalog
from gointerview.store.accounts import Accounts
from gointerview.store.db import Store
from gointerview.web.app import NoAdminError
from web.conftest import PASSWORD, client, csrf, current, make_app, sign_in, start_round

LEAKS = ("Traceback", "sqlalchemy", "SELECT ", "INSERT ", "sqlite3", 'File "/')


def assert_clean(text: str) -> None:
    for leak in LEAKS:
        assert leak not in text, leak


def test_off_loopback_it_refuses_to_start_without_an_admin(
    tmp_path: Path, web_bank: Bank, web_catalog: Catalog
) -> None:
    db = tmp_path / "db.sqlite"
    with pytest.raises(NoAdminError, match="users add NAME --role admin"):
        make_app(db, web_bank, web_catalog, host="0.0.0.0")
    Accounts(Store(f"sqlite:///{db}").engine).add("carol", "candidate", "x")
    with pytest.raises(NoAdminError):  # a candidate is not enough
        make_app(db, web_bank, web_catalog, host="192.0.2.1")
    # on loopback, accounts existing means sign-in all the same
    assert not make_app(db, web_bank, web_catalog).state.ctx.local


def test_serve_refuses_off_loopback_from_the_command_line(tmp_path: Path) -> None:
    from cli_helpers import run_cli

    proc = run_cli(
        "serve",
        "--host",
        "0.0.0.0",
        "--port",
        "1",
        env={"GOINTERVIEW_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"},
    )
    assert proc.returncode == 1
    assert "users add NAME --role admin" in proc.stderr


def test_sign_in_is_required_off_loopback(accounts_app: FastAPI) -> None:
    c = client(accounts_app)
    for path in ("/", "/sessions", "/bank", "/sessions/abc/report"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    assert c.get("/api/sessions").status_code == 401
    assert c.get("/api/me").json()["signed_in"] is False
    alice = sign_in(accounts_app, "alice")
    assert alice.get("/").status_code == 200
    login_cookie = next(h for h in alice.cookies.jar if h.name == "gi_login")
    assert login_cookie.has_nonstandard_attr("HttpOnly")


def test_cookies_are_httponly_and_samesite(accounts_app: FastAPI) -> None:
    c = client(accounts_app)
    r = c.post(
        "/login",
        data={"name": "bob", "password": PASSWORD, "csrf_token": csrf(c)},
        follow_redirects=False,
    )
    cookies = r.headers.get_list("set-cookie")
    login = next(v for v in cookies if v.startswith("gi_login="))
    assert "HttpOnly" in login and "SameSite=lax" in login
    browser = client(accounts_app).get("/login").headers["set-cookie"]
    assert "HttpOnly" in browser and "SameSite=lax" in browser


def test_wrong_password_repeated_answers_429(accounts_app: FastAPI) -> None:
    from gointerview.web.passwords import hash_password

    # a user of this test's own: the others still sign in after it
    accounts_app.state.ctx.accounts.add("erin", "candidate", hash_password(PASSWORD))
    c = client(accounts_app)
    token = csrf(c)
    codes = [
        c.post(
            "/login", data={"name": "erin", "password": f"wrong-{i}", "csrf_token": token}
        ).status_code
        for i in range(7)
    ]
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]
    r = c.post("/login", data={"name": "erin", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0  # even the right one now
    api = client(accounts_app)
    assert (
        api.post(
            "/api/login",
            json={"name": "erin", "password": PASSWORD},
            headers={"X-CSRF-Token": csrf(api)},
        ).status_code
        == 429
    )
    # a different user on the same address is not locked out by erin's failures
    assert sign_in(accounts_app, "bob").get("/").status_code == 200


def test_a_missing_or_foreign_csrf_token_is_403(accounts_app: FastAPI) -> None:
    alice = sign_in(accounts_app, "alice")
    form = {"plan": "screen", "level": "mid", "lang": "en"}
    assert alice.post("/start", data=form).status_code == 403
    assert alice.post("/start", data={**form, "csrf_token": "0" * 64}).status_code == 403
    bob = sign_in(accounts_app, "bob")
    assert alice.post("/start", data={**form, "csrf_token": csrf(bob)}).status_code == 403
    assert alice.post("/api/sessions", json={"plan": "screen"}).status_code == 403
    assert alice.post("/logout").status_code == 403
    anonymous = client(accounts_app)
    assert anonymous.post("/login", data={"name": "alice", "password": PASSWORD}).status_code == 403
    ok = alice.post("/api/sessions", json={"plan": "screen"}, headers={"X-CSRF-Token": csrf(alice)})
    assert ok.status_code == 201


def test_another_users_session_report_and_draft_are_404(accounts_app: FastAPI) -> None:
    alice, bob = sign_in(accounts_app, "alice"), sign_in(accounts_app, "bob")
    sid = start_round(alice)
    seq = current(alice, sid)["current"]["seq"]
    put = alice.put(
        f"/api/sessions/{sid}/draft",
        json={"seq": seq, "text": "alice's draft"},
        headers={"X-CSRF-Token": csrf(alice)},
    )
    assert put.status_code == 200
    for path in (
        f"/sessions/{sid}",
        f"/sessions/{sid}/report",
        f"/sessions/{sid}/report.md",
        f"/sessions/{sid}/report.json",
        f"/api/sessions/{sid}",
        f"/api/sessions/{sid}/report",
        f"/api/sessions/{sid}/draft?seq={seq}",
    ):
        assert alice.get(path).status_code == 200, path
        r = bob.get(path)
        assert r.status_code == 404, path
        assert "alice" not in r.text
    token = csrf(bob)
    assert (
        bob.put(
            f"/api/sessions/{sid}/draft",
            json={"seq": seq, "text": "x"},
            headers={"X-CSRF-Token": token},
        ).status_code
        == 404
    )
    for action in ("answer", "skip", "dont-know", "pause"):
        assert (
            bob.post(
                f"/sessions/{sid}/{action}", data={"csrf_token": token, "seq": seq, "text": "x"}
            ).status_code
            == 404
        )
    assert sid not in bob.get("/sessions").text
    assert alice.get(f"/api/sessions/{sid}/draft?seq={seq}").json()["text"] == "alice's draft"


def test_admins_see_terminal_sessions_and_manage_users(accounts_app: FastAPI) -> None:
    store = accounts_app.state.ctx.interviews.store
    from gointerview.bank.schema import Level
    from gointerview.interview.plans import get_plan
    from gointerview.interview.service import new_session

    terminal = new_session(get_plan("screen"), level=Level.MID, lang="en", seed=1, now=1.0)
    store.save(terminal)  # no owner: started in the terminal
    root, alice = sign_in(accounts_app, "root"), sign_in(accounts_app, "alice")
    assert root.get(f"/api/sessions/{terminal.id}").status_code == 200
    assert alice.get(f"/api/sessions/{terminal.id}").status_code == 404
    assert alice.get("/admin/users").status_code == 403
    token = csrf(root)
    r = root.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "name": "dave",
            "role": "candidate",
            "password": "dave-password",
        },
    )
    assert r.status_code == 200 and "dave" in r.text
    dave = sign_in(accounts_app, "dave", "dave-password")
    assert dave.get("/").status_code == 200
    root.post("/admin/users/dave/password", data={"csrf_token": token, "password": "new-pass-1"})
    assert dave.get("/", follow_redirects=False).status_code == 303  # signed out
    root.post("/admin/users/dave/remove", data={"csrf_token": token})
    assert "dave" not in root.get("/admin/users").text
    assert root.post("/admin/users/root/remove", data={"csrf_token": token}).status_code == 400


def test_sign_out_ends_the_sign_in(accounts_app: FastAPI) -> None:
    bob = sign_in(accounts_app, "bob")
    stolen = dict(bob.cookies)
    assert (
        bob.post("/logout", data={"csrf_token": csrf(bob)}, follow_redirects=False).status_code
        == 303
    )
    replay = client(accounts_app)
    replay.cookies.update(stolen)
    assert replay.get("/", follow_redirects=False).status_code == 303


# ---------------------------------------------------------------- rubric secrecy


def _secrets(bank: Bank, ref: str) -> list[str]:
    """Everything of a question's rubric that must not reach the browser before grading
    (wording that is also in the prompt is public anyway, and left out)."""
    q = bank.get(ref)
    texts = [q.reference_answer.zh, q.reference_answer.en]
    texts += [t for kp in q.key_points for t in (kp.zh, kp.en)]
    texts += [t for m in q.misconceptions for t in (m.claim.zh, m.claim.en, m.why.zh, m.why.en)]
    texts += [t for f in q.follow_ups for t in (f.zh, f.en)]
    for f in q.follow_ups:  # follow-ups may carry their own expected answer and points
        answer = getattr(f, "answer", None)
        if answer is not None:
            texts += [answer.zh, answer.en]
        texts += [t for kp in getattr(f, "key_points", None) or [] for t in (kp.zh, kp.en)]
    prompt = q.prompt.zh + q.prompt.en
    return [t for t in texts if t and len(t) > 8 and t not in prompt]


def _escaped(text: str) -> list[str]:
    import html

    return [text, html.escape(text), json.dumps(text)[1:-1]]


def test_the_rubric_of_a_question_in_progress_never_reaches_the_browser(
    local_app: FastAPI, web_bank: Bank
) -> None:
    c = client(local_app)
    sid = start_round(c, seed="77")
    ref = current(c, sid)["current"]["ref"]
    secrets = _secrets(web_bank, ref)
    assert secrets
    seq = current(c, sid)["current"]["seq"]
    raw: list[tuple[str, str]] = []
    for path in (
        f"/sessions/{sid}",
        f"/api/sessions/{sid}",
        "/api/sessions",
        "/sessions",
        "/",
        f"/sessions/{sid}/report",
        f"/sessions/{sid}/report.md",
        f"/sessions/{sid}/report.json",
        f"/api/sessions/{sid}/report",
        f"/bank/{ref}",
        f"/bank/{ref}?answer=true",
        f"/api/bank/{ref}",
        f"/api/bank/{ref}?answer=true",
        f"/api/bank?q={ref}",
        f"/api/sessions/{sid}/draft?seq={seq}",
    ):
        raw.append((path, c.get(path).text))
    token = csrf(c)
    graded = c.post("/grade", data={"csrf_token": token, "question": ref, "text": "anything"})
    raw.append(("POST /grade", graded.text))
    api_grade = c.post(
        "/api/grade", json={"question": ref, "answer": "anything"}, headers={"X-CSRF-Token": token}
    )
    assert api_grade.status_code == 409
    raw.append(("POST /api/grade", api_grade.text))
    paused = c.post(f"/api/sessions/{sid}/pause", headers={"X-CSRF-Token": token})
    raw.append(("pause", paused.text))
    raw.append(("paused page", c.get(f"/sessions/{sid}").text))
    c.post(f"/api/sessions/{sid}/resume", headers={"X-CSRF-Token": token})
    for where, text in raw:
        for secret in secrets:
            for form in _escaped(secret):
                assert form not in text, (where, secret)
    assert "waiting for your answer" in dict(raw)[f"/bank/{ref}?answer=true"]
    # once graded, the review shows the rubric: the check above can fail
    answer = web_bank.get(ref).reference_answer.en
    r = c.post(
        f"/api/sessions/{sid}/answer",
        json={"text": answer, "seq": seq},
        headers={"X-CSRF-Token": token},
    )
    body: dict[str, Any] = r.json()
    assert body["graded"]["grade"]["points"]
    shown = c.get(f"/sessions/{sid}?graded={seq}").text + c.get(f"/bank/{ref}?answer=true").text
    assert any(form in shown for s in secrets for form in _escaped(s))


# ---------------------------------------------------------------- hostile input


def test_a_one_megabyte_answer_gets_a_clear_message(local_app: FastAPI) -> None:
    c = client(local_app)
    sid = start_round(c, seed="8")
    seq = current(c, sid)["current"]["seq"]
    token = csrf(c)
    huge = "字" * (1024 * 1024 // 3 + 1)
    r = c.post(f"/sessions/{sid}/answer", data={"csrf_token": token, "seq": seq, "text": huge})
    assert r.status_code == 413 and "too large" in r.text and "Nothing was saved" in r.text
    assert_clean(r.text)
    api = c.post(
        f"/api/sessions/{sid}/answer",
        json={"text": "a" * 50_000, "seq": seq},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 413 and "at most 20,000" in api.json()["detail"]
    assert current(c, sid)["current"]["status"] == "asked"  # nothing was recorded


def test_non_utf8_bytes_get_a_clear_message(local_app: FastAPI) -> None:
    c = client(local_app)
    sid = start_round(c, seed="9")
    seq = current(c, sid)["current"]["seq"]
    token = csrf(c)
    gbk = "goroutine 调度".encode("gb18030")
    body = f"csrf_token={token}&seq={seq}&text=".encode() + gbk
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    r = c.post(f"/sessions/{sid}/answer", content=body, headers=form)
    assert r.status_code == 400 and "not valid UTF-8" in r.text
    escaped = f"csrf_token={token}&seq={seq}&text=%FF%FEabc".encode()
    assert c.post(f"/sessions/{sid}/answer", content=escaped, headers=form).status_code == 400
    raw_json = b'{"text": "\xff\xfe", "seq": 1}'
    r = c.post(
        f"/api/sessions/{sid}/answer",
        content=raw_json,
        headers={"Content-Type": "application/json", "X-CSRF-Token": token},
    )
    assert r.status_code == 400 and "UTF-8" in r.json()["detail"]
    surrogate = b'{"text": "\\ud800 lone", "seq": %d}' % seq
    r = c.post(
        f"/api/sessions/{sid}/answer",
        content=surrogate,
        headers={"Content-Type": "application/json", "X-CSRF-Token": token},
    )
    assert r.status_code == 422 and "valid string" in r.json()["detail"]  # pydantic says so
    nul = c.post(
        f"/api/sessions/{sid}/answer",
        json={"text": "chan\x00 send", "seq": seq},
        headers={"X-CSRF-Token": token},
    )
    assert nul.status_code == 200 and nul.json()["graded"]["answer"] == "chan send"


def test_no_error_page_shows_a_traceback_or_sql(
    local_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = client(local_app)
    token = csrf(c)
    responses = [
        c.get("/no/such/page"),
        c.get("/sessions/does-not-exist"),
        c.get("/api/sessions/does-not-exist"),
        c.put("/sessions/x/answer"),  # method not allowed
        c.post("/start", data={"csrf_token": token}),  # a field missing
        c.post(
            "/api/sessions", json={"plan": ["not", "a", "string"]}, headers={"X-CSRF-Token": token}
        ),
        c.post("/start", data={"csrf_token": token, "plan": "nope"}),
        c.get("/bank/" + "x" * 5000),
        c.get("/sessions/%00%27%22;DROP TABLE sessions"),
    ]
    service = local_app.state.ctx.interviews

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("SELECT * FROM users WHERE password_hash = 'x'")

    monkeypatch.setattr(service, "summaries", boom)
    crashed = [c.get("/"), c.get("/api/sessions")]
    assert [r.status_code for r in crashed] == [500, 500]
    for r in responses + crashed:
        assert r.status_code < 500 or r in crashed
        assert_clean(r.text)
        assert "password_hash" not in r.text
    assert "went wrong on our side" in crashed[0].text


def test_the_report_keeps_a_reference_back_while_its_follow_up_is_asked(
    local_app: FastAPI, web_bank: Bank
) -> None:
    """A weak answer's reference answer (in the report) would answer its follow-up: it is
    left out until the follow-up is answered."""
    c = client(local_app)
    token = csrf(c)
    sid = start_round(c, seed="41")
    now = current(c, sid)["current"]
    while not web_bank.get(now["ref"]).follow_ups:
        c.post(f"/sessions/{sid}/skip", data={"csrf_token": token, "seq": now["seq"]})
        now = current(c, sid)["current"]
    c.post(
        f"/sessions/{sid}/answer",
        data={"csrf_token": token, "seq": now["seq"], "text": "not sure, goroutines?"},
    )
    follow = current(c, sid)["current"]
    assert follow["kind"] == "follow_up" and follow["ref"] == now["ref"]
    reference = web_bank.get(now["ref"]).reference_answer.en.strip()
    for path in (
        f"/api/sessions/{sid}/report?lang=en",
        f"/sessions/{sid}/report.md",
        f"/sessions/{sid}/report.json",
    ):
        assert all(form not in c.get(path).text for form in _escaped(reference)), path
    c.post(f"/sessions/{sid}/dont-know", data={"csrf_token": token, "seq": follow["seq"]})
    notes = c.get(f"/api/sessions/{sid}/report?lang=en").json()["references"]
    assert any(n["question"] == now["ref"] for n in notes)  # shown once the follow-up is done
    page = c.get(f"/sessions/{sid}/report", headers={"Accept-Language": "en"}).text
    assert "Reference answers" in page and 'class="card reference-note"' in page
