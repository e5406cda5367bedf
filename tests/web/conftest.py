"""Shared web fixtures: one bank, one app per mode and one live server for the whole run
(building an app costs a bank load; the browser tests share one uvicorn)."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gointerview.bank import Bank, load_bank
from gointerview.exercises.catalog import Catalog, builtin_catalog
from gointerview.store.accounts import Accounts
from gointerview.store.db import Store
from gointerview.web.app import create_app
from gointerview.web.passwords import hash_password
from gointerview.web.settings import WebSettings

SECRET = b"test-secret-test-secret-test-secret-0123456789"
PASSWORD = "correct horse battery"
USERS = {"root": "admin", "alice": "candidate", "bob": "candidate"}


@pytest.fixture(scope="session")
def web_bank(_bank_cache: Path) -> Bank:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GOINTERVIEW_CACHE_DIR", str(_bank_cache))
        return load_bank()


@pytest.fixture(scope="session")
def web_catalog() -> Catalog:
    return builtin_catalog()


def make_app(
    db: Path, bank: Bank, catalog: Catalog, *, host: str = "127.0.0.1", **settings: Any
) -> FastAPI:
    store = Store(f"sqlite:///{db}")
    return create_app(
        WebSettings(secret=SECRET, host=host, **settings), store=store, bank=bank, catalog=catalog
    )


@pytest.fixture(scope="session")
def local_app(
    tmp_path_factory: pytest.TempPathFactory, web_bank: Bank, web_catalog: Catalog
) -> FastAPI:
    """127.0.0.1 and no accounts: one person's tool."""
    return make_app(tmp_path_factory.mktemp("local") / "db.sqlite", web_bank, web_catalog)


@pytest.fixture(scope="session")
def accounts_app(
    tmp_path_factory: pytest.TempPathFactory, web_bank: Bank, web_catalog: Catalog
) -> FastAPI:
    """Served on 0.0.0.0 with an admin and two candidates: sign-in required."""
    db = tmp_path_factory.mktemp("accounts") / "db.sqlite"
    accounts = Accounts(Store(f"sqlite:///{db}").engine)
    hashed = hash_password(PASSWORD)
    for name, role in USERS.items():
        accounts.add(name, role, hashed)
    return make_app(db, web_bank, web_catalog, host="0.0.0.0")  # not loopback: accounts


def client(app: FastAPI, **headers: str) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, headers=headers)


def csrf(c: TestClient) -> str:
    token: str = c.get("/api/me").json()["csrf_token"]
    return token


def sign_in(app: FastAPI, name: str, password: str = PASSWORD) -> TestClient:
    c = client(app)
    r = c.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": csrf(c)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return c


def start_round(c: TestClient, **fields: str) -> str:
    data = {"plan": "screen", "level": "mid", "lang": "en", "seed": "11", **fields}
    r = c.post("/start", data={**data, "csrf_token": csrf(c)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    match = re.fullmatch(r"/sessions/([0-9a-f]+)", r.headers["location"])
    assert match is not None
    return match.group(1)


def current(c: TestClient, session_id: str) -> dict[str, Any]:
    data: dict[str, Any] = c.get(f"/api/sessions/{session_id}").json()
    return data


# ---------------------------------------------------------------- a live server


class LiveServer:
    def __init__(self, app: FastAPI) -> None:
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(local_app: FastAPI) -> Iterator[LiveServer]:
    with LiveServer(local_app) as server:
        yield server
