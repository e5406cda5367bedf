"""`gointerview serve`: the web app on the same database and bank as the CLI."""

from __future__ import annotations

from typing import Annotated

import typer

from gointerview.cli import common


def serve(
    host: Annotated[
        str, typer.Option("--host", help="127.0.0.1: just you, no sign-in. Any other: accounts.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    secure_cookies: Annotated[
        bool,
        typer.Option("--secure-cookies", help="Behind an HTTPS proxy: cookies only over TLS."),
    ] = False,
) -> None:
    """Serve the web app: mock interviews with the 点评 after every answer, reports, the
    question bank, single-answer grading. On 127.0.0.1 with no accounts it is your own tool;
    on any other address it needs an admin first (`gointerview users add NAME --role admin`)
    and everyone signs in."""
    import uvicorn

    from gointerview.exercises.catalog import builtin_catalog
    from gointerview.store.db import Store, default_url
    from gointerview.web.app import create_app, warm_up
    from gointerview.web.settings import WebSettings, load_secret

    cfg = common.config()
    data_dir = cfg.ensure_data_dir()
    store = Store(cfg.database_url or default_url(data_dir))
    settings = WebSettings(
        secret=load_secret(data_dir),
        host=host,
        port=port,
        lang=cfg.lang,
        secure_cookies=secure_cookies,
    )
    bank = common.bank()
    app = create_app(
        settings,
        store=store,
        bank=bank,
        catalog=builtin_catalog(),
        grade_options=common.grading_backends(),
    )
    warm_up(bank)
    mode = "local mode: no sign-in" if app.state.ctx.local else "accounts: sign-in required"
    common.console.print(
        f"gointerview is serving [bold]{settings.url}[/bold] ({mode}; database "
        f"{store.engine.url.render_as_string(hide_password=True)}). Ctrl-C stops it.",
        soft_wrap=True,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
