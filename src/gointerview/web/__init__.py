"""The web app (`gointerview serve`): FastAPI routes over the same services the CLI calls.

    settings.py   host, secret, limits; the loopback test for local mode
    passwords.py  Argon2 hashing (the `users` CLI uses it too, without FastAPI)
    security.py   signed cookies, CSRF tokens, the sign-in rate limit
    i18n.py       the zh / en interface text and language negotiation
    service.py    who may see what; sessions, drafts and reports for one viewer
    present.py    what reaches the browser: sessions without rubric secrets, the 点评
    radar.py      the report's radar as SVG
    app.py        the FastAPI app: middleware, error pages, wiring
    pages.py      HTML pages;  api.py  the JSON API under /api
Only `app.py`, `pages.py` and `api.py` import FastAPI.
"""
