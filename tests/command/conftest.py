"""Fixtures of the command-center tests: the shared province and staff, signed-in clients, frozen time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from tests.web.conftest import NOW, TODAY, frozen  # noqa: F401

__all__ = ["NOW", "TODAY"]


@pytest.fixture
def login() -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def no_sources() -> Iterator[None]:
    """Each test starts with no registered source and leaves none behind."""
    from zhixing.command import sources

    saved = dict(sources._sources)
    sources._sources.clear()
    yield
    sources._sources.clear()
    sources._sources.update(saved)
