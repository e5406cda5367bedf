"""Everything a request needs, made once per app: settings, services, templates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from gointerview.store.accounts import Accounts
from gointerview.web.security import RateLimiter, Signer
from gointerview.web.service import Interviews
from gointerview.web.settings import WebSettings

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


@dataclass
class WebContext:
    settings: WebSettings
    interviews: Interviews
    accounts: Accounts
    signer: Signer
    limiter: RateLimiter
    templates: Environment
    local: bool  # loopback with no accounts: one person's tool, no sign-in


def template_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the templates ship with the package: no stat per page
    )
