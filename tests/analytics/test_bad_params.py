"""Hostile parameters to the analytics pages and API: each is refused naming its field, nothing is
changed, and nothing answers 500 (an attacker's probe found every value below answering 500).

The rows API answers 422 naming the parameter; the rows page shows the message and the unfiltered rows
(as for any bad filter); the preview and confirm pages send the user back with the message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhixing.analytics import params, queries_rows
from zhixing.analytics.models import ImportJob, Profile, StatementPreset
from zhixing.core.errors import ServiceError

from .conftest import FIXTURES, load

# (query string, the parameter the answer names): each answered 500 before.
BAD_FILTERS = [
    ({"min_amount": "NaN"}, "min_amount"),
    ({"min_amount": "sNaN"}, "min_amount"),
    ({"max_amount": "Infinity"}, "max_amount"),
    ({"max_amount": "-Infinity"}, "max_amount"),
    ({"min_amount": "1e999999"}, "min_amount"),  # read as an amount past every column
    ({"start": "0001-01-01"}, "start"),  # its local midnight is before datetime.min in UTC
    ({"end": "9999-12-31"}, "end"),
    ({"job": "99999999999999999999"}, "job"),  # past 64 bits: SQLite's OverflowError
    ({"job": "²"}, "job"),  # str.isdigit() is true, int() refuses it
    ({"job": "١٢"}, "job"),  # Arabic-Indic digits: int() reads them, no id is spelled so
    ({"profile": "²", "rule": "x"}, "profile"),
]


@pytest.fixture
def ref(debtor: Any, people: dict[str, Any], presets: dict[str, Any]) -> Any:
    load(debtor, people["judge"], presets["cmb"], (FIXTURES / "cmb_sample.csv").read_bytes())
    return debtor


def _client(people: dict[str, Any]) -> Client:
    c = Client(raise_request_exception=False)
    c.force_login(people["judge"])
    return c


def _said(resp: Any) -> list[str]:
    return [str(m) for m in get_messages(resp.wsgi_request)]


@pytest.mark.parametrize(("query", "field"), BAD_FILTERS)
def test_the_rows_api_names_the_bad_parameter(
    ref: Any, people: dict[str, Any], query: dict[str, str], field: str
) -> None:
    resp = _client(people).get(
        f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/transactions", query
    )
    assert resp.status_code == 422
    assert resp.json()["field"] == field and resp.json()["code"] == "invalid"


@pytest.mark.parametrize(("query", "field"), BAD_FILTERS)
def test_the_rows_page_shows_the_error_and_the_unfiltered_rows(
    ref: Any, people: dict[str, Any], query: dict[str, str], field: str
) -> None:
    resp = _client(people).get(reverse("analytics:rows", args=[ref.case.pk, ref.party.pk]), query)
    assert resp.status_code == 200
    with pytest.raises(ServiceError) as exc:
        queries_rows.RowFilter.from_params(query)
    assert exc.value.field == field
    assert _said(resp) == [exc.value.message]
    assert resp.context["page"].paginator.count == 4 and resp.context["filters"] == {}


def test_good_filters_still_read() -> None:
    flt = queries_rows.RowFilter.from_params(
        {"min_amount": "1,000.5", "max_amount": " 2000 ", "job": "7", "start": "2024-01-02", "end": ""}
    )
    assert (str(flt.min_amount), str(flt.max_amount), flt.job, flt.start, flt.end) == (
        "1000.50",
        "2000.00",
        7,
        date(2024, 1, 2),
        None,
    )
    assert queries_rows.RowFilter.from_params({"job": str(2**63 - 1)}).job == 2**63 - 1


@pytest.mark.parametrize("text", ["²", "١", "0", "-1", "1.0", "+1", str(2**63), " "])
def test_an_id_is_ascii_digits_within_the_column(text: str) -> None:
    if not text.strip():
        assert params.object_id_param(text, "job") is None
        return
    with pytest.raises(ServiceError) as exc:
        params.object_id_param(text, "job")
    assert exc.value.field == "job"


@pytest.mark.parametrize(
    "text", ["20240131", "2024-W05-3", "２０２４-01-31", "2024-02-30", "1899-12-31", "2100-01-01"]
)
def test_a_day_is_iso_and_within_the_range(text: str) -> None:
    with pytest.raises(ServiceError) as exc:
        params.day_param(text, "start")
    assert exc.value.field == "start"
    assert params.day_param("2099-12-31", "start") == params.LAST_DAY


# -- the preview and its confirmation ------------------------------------------------------------------


@pytest.mark.parametrize("preset", ["²", "99999999999999999999", "abc"])
def test_a_preview_of_a_bad_layout_id_is_sent_back(ref: Any, people: dict[str, Any], preset: str) -> None:
    resp = _client(people).get(
        reverse("analytics:preview", args=[ref.case.pk, ref.party.pk]), {"token": "x", "preset": preset}
    )
    assert resp.status_code == 302 and resp["Location"] == reverse(
        "analytics:debtor", args=[ref.case.pk, ref.party.pk]
    )
    assert _said(resp) == ["版式预设不存在"]


def _counts() -> tuple[int, int, int]:
    return ImportJob.objects.count(), StatementPreset.objects.count(), Profile.objects.count()


# Past the parser's depth (RecursionError while parsing), and parsed but too deep for the scan for
# control characters that follows it.
DEEP = ["[" * 100_000, '{"a":' + "[" * 600 + "]" * 600 + "}"]


@pytest.mark.parametrize("edits", DEEP, ids=["unparsable", "parsed"])
def test_the_confirm_page_refuses_deeply_nested_edits(ref: Any, people: dict[str, Any], edits: str) -> None:
    before = _counts()
    resp = _client(people).post(
        reverse("analytics:preview_confirm", args=[ref.case.pk, ref.party.pk]),
        {"token": "x", "preset": "", "edits": edits},
    )
    assert resp.status_code == 302
    assert _said(resp) == ["版式调整内容格式无效，请重新预览"]
    assert _counts() == before


def test_the_confirm_page_refuses_a_nul_in_the_edits(ref: Any, people: dict[str, Any]) -> None:
    resp = _client(people).post(
        reverse("analytics:preview_confirm", args=[ref.case.pk, ref.party.pk]),
        {"token": "x", "edits": '{"counterparty_column": "\\u0000"}'},
    )
    assert resp.status_code == 302 and _said(resp) == ["“edits”含有不允许的控制字符（如空字符NUL）"]


@pytest.mark.parametrize("step", ["review", "confirm"])
def test_the_api_refuses_deeply_nested_edits(ref: Any, people: dict[str, Any], step: str) -> None:
    before = _counts()
    body = '{"token": "x", "preset": "cmb", "edits": {"a": ' + "[" * 100_000 + "}}"
    resp = _client(people).post(
        f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/previews/{step}",
        body,
        "application/json",
    )
    assert resp.status_code == 400
    assert resp.json() == {"detail": "请求体不是有效的JSON", "field": None, "code": "bad_json"}
    assert _counts() == before


# -- periods -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "field"),
    [
        ({"start": "0001-01-01", "end": "2024-01-01"}, "start"),
        ({"start": "2024-01-01", "end": "9999-12-31"}, "end"),
    ],
)
def test_a_profile_period_out_of_range_is_refused(
    ref: Any, people: dict[str, Any], period: dict[str, str], field: str
) -> None:
    c, before = _client(people), _counts()
    api = c.post(
        f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/profile", period, "application/json"
    )
    assert api.status_code == 422 and api.json()["field"] == field
    page = c.post(reverse("analytics:compute", args=[ref.case.pk, ref.party.pk]), period)
    assert page.status_code == 302 and "须在1900-01-01至2099-12-31之间" in _said(page)[0]
    freezes = c.post(
        reverse("analytics:compute", args=[ref.case.pk, ref.party.pk]),
        {"start": "2024-01-01", "end": "2024-12-31", "freezes": "9999-12-31"},
    )
    said = _said(freezes)[-1]  # the first page's message was never shown: kept
    assert freezes.status_code == 302 and said == "冻结日期须在1900-01-01至2099-12-31之间：9999-12-31"
    assert _counts() == before


@pytest.mark.parametrize(
    ("period", "field"),
    [
        ({"period_start": "0001-01-01", "period_end": "2024-01-01"}, "period_start"),
        ({"period_start": "2024-01-01", "period_end": "9999-12-31"}, "period_end"),
    ],
)
def test_a_statement_period_out_of_range_is_refused(
    ref: Any, people: dict[str, Any], period: dict[str, str], field: str
) -> None:
    before = _counts()
    data = (FIXTURES / "cmb_sample.csv").read_bytes()
    resp = _client(people).post(
        f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/imports",
        {"file": SimpleUploadedFile("a.csv", data), "kind": "statement", "preset": "cmb", **period},
    )
    assert resp.status_code == 422 and resp.json()["field"] == field
    assert _counts() == before


@pytest.mark.parametrize("kind", ["statement", "travel"])
def test_a_csv_cell_past_the_csv_modules_limit_is_the_files_fault(
    ref: Any, people: dict[str, Any], kind: str
) -> None:
    """Found by the web-form fuzzer: csv.Error ("field larger than field limit") was a 500."""
    before = _counts()
    resp = _client(people).post(
        f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/imports",
        {"file": SimpleUploadedFile("long.csv", b"x" * 300_000), "kind": kind, "preset": "cmb"},
    )
    assert resp.status_code == 422 and resp.json()["field"] == "file"
    assert _counts() == before
