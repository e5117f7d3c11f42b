"""Whether a reader may open an on-site link the platform stored (a flow node's 关联业务 link).

A platform event that completes a flow node stores a link to its record (`Node.link_url`: an inquiry
batch, a restriction order, an assistance notice …). The case page showed that link to everyone who
reads the case, but the page behind it has its own rule: the asset register is not for the clerk, so
the clerk's click answered 无权访问. Each domain registers, per URL name, the check its page applies
(`register(url_name, check)`, from the domain's `AppConfig.ready()`), and every screen that renders a
stored link asks `may_open(user, url)`: a link the reader may not open is shown as plain text.

A URL whose name has no registered check is never a link (the safe default: a new link target is
plain text until its domain says who may open it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

Check = Callable[..., bool]  # check(user, **url_kwargs) -> may the user open the page

_CHECKS: dict[str, Check] = {}


def register(url_name: str, check: Check) -> None:
    """The page named `url_name` opens for `user` when `check(user, **kwargs)` is true."""
    _CHECKS[url_name] = check


def registered() -> frozenset[str]:
    return frozenset(_CHECKS)


def url_name(url: str) -> str | None:
    """The URL name of an on-site link (`/cases/5/notice/#x` -> `case_notice`), None when unknown."""
    path = urlsplit(url or "").path
    if not path.startswith("/") or path.startswith("//"):
        return None
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def may_open(user: Any, url: str) -> bool:
    """Whether `user` may open the on-site page `url` points at (its domain's registered check)."""
    if not getattr(user, "is_authenticated", False):
        return False
    path = urlsplit(url or "").path
    if not path.startswith("/") or path.startswith("//"):
        return False
    try:
        match = resolve(path)
    except Resolver404:
        return False
    check = _CHECKS.get(match.view_name)
    return bool(check is not None and check(user, **match.kwargs))
