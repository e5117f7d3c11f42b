"""core.work: a service says work is due; the hook a tasks module installed runs after commit only."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from zhixing.core import work
from zhixing.inquiry import tasks
from zhixing.inquiry.services import requests


def test_inquiry_tasks_install_the_dispatch_hook_at_app_ready() -> None:
    assert work.installed(requests.DISPATCH) is tasks.dispatch_task


@pytest.mark.django_db(transaction=True)
def test_hook_runs_after_commit_only() -> None:
    calls: list[Any] = []
    work.install("test.work", lambda *a: calls.append(a))
    with transaction.atomic():
        work.due("test.work", 7)
        assert calls == []
    assert calls == [(7,)]
    with pytest.raises(RuntimeError), transaction.atomic():
        work.due("test.work", 8)
        raise RuntimeError
    assert calls == [(7,)]


@pytest.mark.django_db(transaction=True)
def test_missing_or_failing_hook_never_fails_the_write() -> None:
    def boom() -> None:
        raise OSError("queue down")

    work.install("test.boom", boom)
    with transaction.atomic():
        work.due("test.boom")
        work.due("test.nobody")


@pytest.mark.django_db(transaction=True)
def test_kick_uses_the_installed_hook(settings: Any) -> None:
    calls: list[str] = []
    saved = work.installed(requests.DISPATCH)
    work.install(requests.DISPATCH, lambda: calls.append("dispatch"))
    try:
        settings.ZHIXING_INQUIRY = {"kick_on_commit": True}
        with transaction.atomic():
            requests.kick()
        settings.ZHIXING_INQUIRY = {"kick_on_commit": False}
        with transaction.atomic():
            requests.kick()
    finally:
        assert saved is not None
        work.install(requests.DISPATCH, saved)
    assert calls == ["dispatch"]
