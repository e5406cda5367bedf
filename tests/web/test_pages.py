"""The pages in local mode (127.0.0.1, no accounts): a whole round through the forms, the
review, the report and its downloads, the bank, single-answer grading, the exercises, the
language, and a session shared with the terminal."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from fastapi import FastAPI

from gointerview.bank import Bank
from gointerview.bank.schema import Level
from gointerview.exercises.catalog import load_catalog
from gointerview.interview.engine import Pause
from gointerview.interview.plans import get_plan
from gointerview.interview.service import Runner, new_session
from web.conftest import client, csrf, current, start_round

PAGES = [
    "/",
    "/start",
    "/sessions",
    "/bank",
    "/bank?area=runtime&level=senior",
    "/grade",
    "/exercises",
    "/bank/rt.sched.gmp-roles",
]


def test_every_page_renders_and_loads_nothing_from_elsewhere(local_app: FastAPI) -> None:
    c = client(local_app)
    for path in PAGES:
        r = c.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        # every script, style and image comes from this app: the tool works offline
        assert not re.search(r'(src|href)="(https?:)?//', r.text), path
        assert "default-src 'self'" in r.headers["content-security-policy"]
    assert c.get("/static/app.js").status_code == 200
    assert c.get("/static/app.css").status_code == 200
    assert c.get("/login", follow_redirects=False).status_code == 303  # local mode: no sign-in


def test_a_round_through_the_forms(local_app: FastAPI, web_bank: Bank) -> None:
    c = client(local_app)
    token = csrf(c)
    sid = start_round(c)
    page = c.get(f"/sessions/{sid}").text
    assert "Question 1 of 6" in page and "Time left" in page
    now = current(c, sid)["current"]
    reference = web_bank.get(now["ref"]).reference_answer.en
    r = c.post(
        f"/sessions/{sid}/answer",
        data={"csrf_token": token, "seq": now["seq"], "text": reference},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].endswith(f"?graded={now['seq']}#review")
    review = c.get(r.headers["location"]).text
    assert 'id="review"' in review
    assert '<mark class="hit">' in review  # the evidence, highlighted in the answer
    assert "Key points hit" in review and "Missed" in review
    # the same form sent twice (a double click, a stale tab) does not answer the next question
    again = c.post(
        f"/sessions/{sid}/answer",
        data={"csrf_token": token, "seq": now["seq"], "text": "again"},
        follow_redirects=False,
    )
    assert again.status_code == 409 and "already answered" in again.text
    state = current(c, sid)
    nxt = state["current"]
    c.post(f"/sessions/{sid}/skip", data={"csrf_token": token, "seq": nxt["seq"]})
    nxt = current(c, sid)["current"]
    c.post(f"/sessions/{sid}/dont-know", data={"csrf_token": token, "seq": nxt["seq"]})
    # pause keeps the typed text as the draft; resume shows it again
    nxt = current(c, sid)["current"]
    c.post(
        f"/sessions/{sid}/pause", data={"csrf_token": token, "seq": nxt["seq"], "text": "半句话"}
    )
    paused = c.get(f"/sessions/{sid}").text
    assert "Paused" in paused and 'id="answer"' not in paused
    assert current(c, sid)["current"]["seq"] == nxt["seq"]
    c.post(f"/sessions/{sid}/resume", data={"csrf_token": token})
    assert "半句话</textarea>" in c.get(f"/sessions/{sid}").text
    statuses = [i["status"] for i in current(c, sid)["items"]]
    assert statuses[:3] == ["graded", "skipped", "dont_know"] or "graded" in statuses


def test_the_report_page_and_its_downloads(local_app: FastAPI, web_bank: Bank) -> None:
    c = client(local_app)
    token = csrf(c)
    sid = start_round(c, seed="5", lang="zh")
    for _ in range(30):  # answer everything with the reference answer, follow-ups too
        state = current(c, sid)
        if state["state"] == "finished":
            break
        now = state["current"]
        text = web_bank.get(now["ref"]).reference_answer.zh
        c.post(
            f"/sessions/{sid}/answer", data={"csrf_token": token, "seq": now["seq"], "text": text}
        )
    assert current(c, sid)["state"] == "finished"
    assert "查看评估报告" in c.get(f"/sessions/{sid}", headers={"Accept-Language": "zh-CN"}).text
    page = c.get(f"/sessions/{sid}/report", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert '<svg class="radar"' in page and 'class="vertex"' in page
    # labels in the page's language; a dimension the round did not probe is "no evidence"
    assert "Go语言高级特性" in page
    report = c.get(f"/api/sessions/{sid}/report?lang=zh").json()
    unprobed = [d for d in report["dimensions"] if d["rating"] == "not enough evidence"]
    for d in unprobed:
        label = re.search(rf'data-dimension="{d["dimension"]}">(.*?)</text>', page)
        assert label is not None and "无证据" in label.group(1)
    assert page.count('class="vertex"') == 5 - len(unprobed)
    md = c.get(f"/sessions/{sid}/report.md")
    assert md.status_code == 200 and "attachment" in md.headers["content-disposition"]
    assert md.text.startswith("# ")
    js = c.get(f"/sessions/{sid}/report.json")
    assert json.loads(js.text)["session"] == sid
    assert "@media print" in c.get("/static/app.css").text


def test_language_from_the_browser_the_switch_and_the_cookie(local_app: FastAPI) -> None:
    c = client(local_app)
    assert "开始一轮" in c.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}).text
    assert "Start a round" in c.get("/", headers={"Accept-Language": "en-GB,zh;q=0.3"}).text
    r = c.post(
        "/lang", data={"lang": "zh", "next": "/bank", "csrf_token": csrf(c)}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/bank"
    assert "题库" in c.get("/bank", headers={"Accept-Language": "en"}).text  # remembered
    evil = c.post(
        "/lang",
        data={"lang": "en", "next": "//evil.example/", "csrf_token": csrf(c)},
        follow_redirects=False,
    )
    assert evil.headers["location"] == "/"  # never a redirect off the site


def test_bank_browser_filters_and_the_reference_answer_on_request(
    local_app: FastAPI, web_bank: Bank
) -> None:
    c = client(local_app)
    runtime = c.get("/bank?area=runtime").text
    assert "rt.sched.gmp-roles" in runtime and "lang.chan" not in runtime
    found = c.get("/bank?q=gomaxprocs").text
    count = re.search(r'id="bank-count">(\d+)', found)
    assert count is not None and 0 < int(count.group(1)) < len(web_bank)
    question = web_bank.get("rt.sched.gmp-roles")
    reference = question.reference_answer.en.splitlines()[0][:40]
    plain = c.get("/bank/rt.sched.gmp-roles").text
    assert reference not in plain and "Show the reference answer" in plain
    # the other ways it is asked are no answer: shown, folded, with the prompt
    assert "Also asked as" in plain and html.escape(question.asked_as[0].en) in plain
    shown = c.get("/bank/rt.sched.gmp-roles?answer=true").text
    assert reference in shown and question.key_points[0].en in shown
    assert c.get("/bank/no.such.question").status_code == 404


def test_grade_one_answer_and_the_exercise_list(local_app: FastAPI, web_bank: Bank) -> None:
    c = client(local_app)
    question = web_bank.get("rt.sched.gmp-roles")
    r = c.post(
        "/grade",
        data={"csrf_token": csrf(c), "question": question.id, "text": question.reference_answer.zh},
    )
    assert r.status_code == 200 and "点评" in r.text and '<mark class="hit">' in r.text
    assert (
        c.post("/grade", data={"csrf_token": csrf(c), "question": "nope", "text": "x"}).status_code
        == 404
    )
    exercises = c.get("/exercises").text
    assert exercises.count('class="card exercise"') == len(load_catalog().exercises)
    assert "LRU" in exercises and "gointerview exercise start" in exercises


def test_a_terminal_session_continues_in_the_browser(local_app: FastAPI, web_bank: Bank) -> None:
    """Started and paused in the terminal (no owner), resumed and answered in the browser."""
    ctx = local_app.state.ctx
    runner = Runner(bank=web_bank, catalog=None, store=ctx.interviews.store)
    session = runner.start(
        new_session(
            get_plan("screen"), level=Level.MID, lang="en", seed=3, now=ctx.interviews.clock()
        )
    )
    runner.apply(session, Pause())
    c = client(local_app)
    assert session.id in c.get("/sessions").text
    assert "Paused" in c.get(f"/sessions/{session.id}").text
    c.post(f"/sessions/{session.id}/resume", data={"csrf_token": csrf(c)})
    now = current(c, session.id)["current"]
    r = c.post(
        f"/sessions/{session.id}/answer",
        data={"csrf_token": csrf(c), "seq": now["seq"], "text": "goroutine 调度"},
    )
    assert r.status_code == 200
    assert ctx.interviews.store.load(session.id).items[0].status == "graded"


def test_a_browser_session_continues_in_the_terminal(
    local_app: FastAPI, tmp_path: Path, _bank_cache: Path
) -> None:
    from cli_helpers import run_cli

    c = client(local_app)
    sid = start_round(c, seed="21")
    c.post(f"/sessions/{sid}/pause", data={"csrf_token": csrf(c)})
    url = str(local_app.state.ctx.interviews.store.engine.url)
    answers = tmp_path / "answers.yaml"
    answers.write_text("'1': goroutines are multiplexed onto threads\n", encoding="utf-8")
    proc = run_cli(
        "interview",
        "--resume",
        sid,
        "--answers",
        str(answers),
        "--json",
        env={"GOINTERVIEW_DATABASE_URL": url, "GOINTERVIEW_CACHE_DIR": str(_bank_cache)},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["state"] == "finished"
    page = c.get(f"/sessions/{sid}").text
    assert "The round is over" in page


def test_the_review_says_whether_the_follow_up_comes_next(
    local_app: FastAPI, web_bank: Bank
) -> None:
    c = client(local_app)
    token = csrf(c)
    sid = start_round(c, seed="13")
    now = current(c, sid)["current"]
    while not web_bank.get(now["ref"]).follow_ups:  # skip to a question that has follow-ups
        c.post(f"/sessions/{sid}/skip", data={"csrf_token": token, "seq": now["seq"]})
        now = current(c, sid)["current"]
    r = c.post(
        f"/sessions/{sid}/answer",
        data={
            "csrf_token": token,
            "seq": now["seq"],
            "text": "not sure, something with goroutines",
        },
    )
    after = current(c, sid)["current"]
    # a weak answer gets the follow-up, and the review names the one actually asked
    assert after is not None and after["kind"] == "follow_up"
    assert "Next, a follow-up" in r.text and after["prompt"].splitlines()[0] in r.text
    missing = c.get(f"/sessions/{sid}?graded=999")
    assert 'id="review"' not in missing.text  # no such graded item: no review
