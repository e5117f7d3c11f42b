"""Walk finding 7: a refused import names the form's field labels, never the raw field names."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse


def test_import_errors_name_the_labels(debtor: Any, people: dict[str, Any]) -> None:
    c = Client()
    c.force_login(people["judge"])
    r = c.post(reverse("analytics:upload", args=[debtor.case.pk, debtor.party.pk]), {}, follow=True)
    html = r.content.decode()
    assert "数据类型：这个字段是必填项。" in html and "校验方式：这个字段是必填项。" in html
    assert "kind:" not in html and "mode:" not in html and "file:" not in html
