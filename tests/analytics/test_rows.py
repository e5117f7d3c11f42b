"""Imported rows: filters, corrections (original kept, audited, used by the indicators), the links
from a profile's indicators, the permission matrix of the new pages and endpoints, a query budget."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhixing.analytics import queries_rows, services
from zhixing.analytics.models import Profile, Transaction, TransactionCorrection
from zhixing.analytics.samples import DATA as UNKNOWN
from zhixing.analytics.services import corrections
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.models import AuditRecord

from .conftest import FIXTURES, load
from .test_permissions import OWN, READERS, STRANGERS, client_for

PERIOD = {"start": date(2023, 1, 1), "end": date(2026, 1, 1)}


@pytest.fixture
def world(debtor: Any, people: dict[str, Any], presets: dict[str, Any]) -> dict[str, Any]:
    job = load(debtor, people["judge"], presets["cmb"], (FIXTURES / "cmb_sample.csv").read_bytes())
    again = load(debtor, people["judge"], presets["cmb"], (FIXTURES / "cmb_sample.csv").read_bytes())
    prof = services.compute_profile(people["judge"], debtor, **PERIOD)
    salary = Transaction.objects.get(job=job, row_no=2)
    return {"ref": debtor, "job": job, "again": again, "profile": prof, "salary": salary}


def _rows(party_id: int, **params: str) -> list[tuple[int, str]]:
    flt = queries_rows.RowFilter.from_params(params)
    cent = Decimal("0.01")
    return [(t.row_no, str(t.eff_amount.quantize(cent))) for t in queries_rows.rows(party_id, flt)]


def test_filters(world: dict[str, Any]) -> None:
    pid, job = world["ref"].party.pk, world["job"].pk
    assert _rows(pid, job=str(job)) == [(2, "12000.00"), (3, "-2000.00"), (4, "-3.00"), (5, "-1000.00")]
    assert len(_rows(pid)) == 8  # the re-import: four duplicates
    assert _rows(pid, counted="1", direction="in") == [(2, "12000.00")]
    assert _rows(pid, counted="1", min_amount="1000", max_amount="2000") == [(3, "-2000.00"), (5, "-1000.00")]
    assert _rows(pid, counted="1", counterparty="国网") == [(4, "-3.00")]
    assert _rows(pid, counted="1", category="ATM") == [(5, "-1000.00")]
    assert _rows(pid, counted="1", start="2024-01-02", end="2024-01-03") == [(3, "-2000.00"), (4, "-3.00")]
    assert _rows(pid, counted="1", kind="refund") == []
    with pytest.raises(ServiceError, match="日期格式应为"):
        queries_rows.RowFilter.from_params({"start": "2024-13-01"})
    with pytest.raises(ServiceError, match="收支取值无效"):
        queries_rows.RowFilter.from_params({"direction": "sideways"})


def test_correction_keeps_the_original_is_audited_and_counts(
    world: dict[str, Any], people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    ref, salary = world["ref"], world["salary"]
    assert world["profile"].indicators["totals"]["total_in"] == "12000.00"
    with django_capture_on_commit_callbacks(execute=True):
        corrections.correct_transaction(
            people["clerk"],
            salary,
            direction="in",
            amount="9500",
            counterparty="广州某科技有限公司",
            category="工资",
            excluded=False,
            reason="银行代发金额含报销 2,500 元",
        )
    salary.refresh_from_db()
    assert (salary.amount, salary.direction) == (Decimal("12000.00"), "in")  # the original line is kept
    corr = TransactionCorrection.objects.get(transaction=salary)
    assert (corr.amount, corr.counterparty, corr.corrected_by) == (
        Decimal("9500.00"),
        "广州某科技有限公司",
        people["clerk"],
    )
    rec = AuditRecord.objects.get(action="analytics.transaction.correct")
    assert rec.before["amount"] == "12000.00" and rec.after["amount"] == "9500.00"
    assert rec.after["reason"] == "银行代发金额含报销 2,500 元" and rec.case_id == ref.case.pk
    prof = services.compute_profile(people["judge"], ref, **PERIOD)
    assert prof.indicators["totals"]["total_in"] == "9500.00"
    with django_capture_on_commit_callbacks(execute=True):
        corrections.correct_transaction(
            people["clerk"],
            salary,
            direction="out",
            amount="1",
            counterparty="",
            category="",
            excluded=True,
            reason="重复入账",
        )
    prof = services.compute_profile(people["judge"], ref, **PERIOD)
    assert prof.indicators["totals"]["total_in"] == "0.00"
    assert _rows(ref.party.pk, counted="1", direction="in") == []
    assert _rows(ref.party.pk, corrected="1") == [(2, "-1.00")]
    assert AuditRecord.objects.filter(action="analytics.transaction.correct").count() == 2


def test_correction_refusals(world: dict[str, Any], people: dict[str, Any]) -> None:
    salary = world["salary"]
    args = {"direction": "in", "amount": "1", "counterparty": "", "category": "", "excluded": False}
    for who in ("bailiff", "finance", "gz_director"):
        with pytest.raises(NotPermitted):
            corrections.correct_transaction(people[who], salary, **args, reason="x")
    with pytest.raises(ServiceError, match="流水不存在"):
        corrections.correct_transaction(people["yx_director"], salary, **args, reason="x")
    with pytest.raises(ServiceError, match="请填写更正理由"):
        corrections.correct_transaction(people["judge"], salary, **args, reason=" ")
    with pytest.raises(ServiceError, match="收支应为"):
        corrections.correct_transaction(people["judge"], salary, **{**args, "direction": "up"}, reason="x")
    with pytest.raises(ServiceError, match="金额无效"):
        corrections.correct_transaction(people["judge"], salary, **{**args, "amount": "abc"}, reason="x")
    same = {
        "direction": "in",
        "amount": "12000",
        "counterparty": salary.counterparty,
        "category": "",
        "excluded": False,
    }
    with pytest.raises(ServiceError, match="与当前内容相同"):
        corrections.correct_transaction(people["judge"], salary, **same, reason="x")
    assert not TransactionCorrection.objects.exists()


def test_profile_indicators_link_to_their_rows(world: dict[str, Any], people: dict[str, Any]) -> None:
    c = client_for(people, "judge")
    prof, ref = world["profile"], world["ref"]
    page = c.get(reverse("analytics:profile", args=[prof.pk]))
    links = page.context["row_links"]
    rows_url = reverse("analytics:rows", args=[ref.case.pk, ref.party.pk])
    assert (
        links["total_in"] == f"{rows_url}?start=2023-01-01&end=2026-01-01&counted=1&direction=in&kind=normal"
    )
    assert f'href="{links["total_in"]}"'.replace("&", "&amp;") in page.content.decode()
    income = c.get(links["total_in"])
    assert [t.row_no for t in income.context["page"]] == [2]
    spending = c.get(links["total_out"])
    assert [t.row_no for t in spending.context["page"]] == [3, 4, 5]
    # A finding's rows: its evidence ids (the rules are not what is tested here, so a stored finding).
    ids = list(Transaction.objects.filter(job=world["job"], row_no__in=[3, 5]).values_list("pk", flat=True))
    finding = {"rule": "evasion", "label": "规避执行", "weight": 25, "detail": "测试", "evidence": ids}
    Profile.objects.filter(pk=prof.pk).update(findings=[finding])
    page = c.get(reverse("analytics:profile", args=[prof.pk]))
    rows_link = page.context["findings"][0]["rows_url"]
    assert rows_link == f"{rows_url}?profile={prof.pk}&rule=evasion"
    assert rows_link.replace("&", "&amp;") in page.content.decode()
    behind = c.get(rows_link)
    assert [t.row_no for t in behind.context["page"]] == [3, 5]
    assert "指标“规避执行”所依据的流水" in behind.content.decode()


def test_rows_page_query_budget(
    world: dict[str, Any], people: dict[str, Any], presets: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    ref = world["ref"]
    url = reverse("analytics:rows", args=[ref.case.pk, ref.party.pk])
    c = client_for(people, "judge")
    c.get(url)  # warm caches (session, roles)
    with django_assert_max_num_queries(
        12
    ) as small:  # 9 measured: session, user, case, parties, jobs, count, page
        assert c.get(url).status_code == 200
    many = "\n".join(f'2024-02-{d:02d},CNY,-{d}.00,"1.00",消费,商户{d} 12345678,x' for d in range(1, 29))
    header = (FIXTURES / "cmb_sample.csv").read_text().splitlines()[0]
    load(ref, people["judge"], presets["cmb"], f"{header}\n{many}\n{many.replace('消费', '转账')}\n".encode())
    row = Transaction.objects.filter(party_id=ref.party.pk).last()
    assert row is not None
    corrections.correct_transaction(
        people["judge"],
        row,
        direction="in",
        amount="5",
        counterparty="",
        category="",
        excluded=False,
        reason="x",
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = c.get(url)
    assert page.context["page"].paginator.count == 64 and len(page.context["page"].object_list) == 50


# -- permission matrix of the new pages and endpoints -------------------------------------------------


def _urls(w: dict[str, Any]) -> list[str]:
    ref = w["ref"]
    return [
        reverse("analytics:rows", args=[ref.case.pk, ref.party.pk]),
        reverse("analytics:row_correct", args=[w["salary"].pk]),
    ]


def _api_rows(c: Client, ref: Any) -> int:
    return int(
        c.get(f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/transactions").status_code
    )


def _api_correct(c: Client, tx: Any) -> int:
    body = {"direction": "in", "amount": "1.00", "reason": "测试"}
    return int(
        c.post(f"/api/v1/analytics/transactions/{tx.pk}/correction", body, "application/json").status_code
    )


def _preview_post(c: Client, ref: Any) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("analytics:preview_upload", args=[ref.case.pk, ref.party.pk])
    return int(c.post(url, {"file": SimpleUploadedFile("x.csv", UNKNOWN)}).status_code)


def _api_preview(c: Client, ref: Any) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/previews"
    return int(c.post(url, {"file": SimpleUploadedFile("x.csv", UNKNOWN)}).status_code)


@pytest.mark.parametrize("who", OWN + READERS)
def test_readers_see_rows(world: dict[str, Any], people: dict[str, Any], who: str) -> None:
    c = client_for(people, who)
    for url in _urls(world):
        assert c.get(url).status_code == 200, url
    assert _api_rows(c, world["ref"]) == 200


@pytest.mark.parametrize("who", ["judge", "assistant", "clerk", "director"])
def test_importers_correct_and_preview(world: dict[str, Any], people: dict[str, Any], who: str) -> None:
    c = client_for(people, who)
    assert _api_correct(c, world["salary"]) == 200
    assert _preview_post(c, world["ref"]) == 302
    assert _api_preview(c, world["ref"]) == 200
    assert c.post(reverse("analytics:preset_copy", args=[world["job"].preset_id])).status_code == 302


@pytest.mark.parametrize("who", ["bailiff", "finance", "president", *READERS])
def test_others_cannot_correct_or_preview(world: dict[str, Any], people: dict[str, Any], who: str) -> None:
    if who not in people:
        pytest.skip(f"no {who} in this court's roster")
    c = client_for(people, who)
    assert _api_correct(c, world["salary"]) == 403
    corr = c.post(
        reverse("analytics:row_correct", args=[world["salary"].pk]),
        {"direction": "in", "amount": "1", "reason": "x"},
    )
    assert corr.status_code == 403
    assert _preview_post(c, world["ref"]) == 403
    assert _api_preview(c, world["ref"]) == 403
    ref = world["ref"]
    assert c.get(reverse("analytics:preview", args=[ref.case.pk, ref.party.pk])).status_code == 403
    assert not TransactionCorrection.objects.exists()


@pytest.mark.parametrize("who", STRANGERS)
def test_other_courts_get_404(world: dict[str, Any], people: dict[str, Any], who: str) -> None:
    c = client_for(people, who)
    for url in _urls(world):
        assert c.get(url).status_code == 404, url
    assert _api_rows(c, world["ref"]) == 404
    assert _api_correct(c, world["salary"]) == 404
    assert _preview_post(c, world["ref"]) == 404
    assert _api_preview(c, world["ref"]) == 404


def test_anonymous(world: dict[str, Any]) -> None:
    c = Client()
    for url in _urls(world):
        r = c.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"], url
    assert _api_rows(c, world["ref"]) == 401
    assert _api_correct(c, world["salary"]) == 401


def test_evidence_page_shows_the_corrected_amount(world: dict[str, Any], people: dict[str, Any]) -> None:
    prof, salary = world["profile"], world["salary"]
    corrections.correct_transaction(
        people["judge"],
        salary,
        direction="in",
        amount="9500",
        counterparty="",
        category="",
        excluded=False,
        reason="x",
    )
    finding = {
        "rule": "hidden_salary",
        "label": "隐性收入",
        "weight": 15,
        "detail": "测试",
        "evidence": [salary.pk],
    }
    Profile.objects.filter(pk=prof.pk).update(findings=[finding])
    html = (
        client_for(people, "judge")
        .get(reverse("analytics:evidence", args=[prof.pk, "hidden_salary"]))
        .content.decode()
    )
    assert "9500.00 <del>12000.00</del>（已更正）" in html


def test_each_month_links_to_its_rows(world: dict[str, Any], people: dict[str, Any]) -> None:
    c = client_for(people, "judge")
    prof, ref = world["profile"], world["ref"]
    months = c.get(reverse("analytics:profile", args=[prof.pk])).context["monthly_links"]
    assert [m["month"] for m in months] == ["2024-01"]
    rows_url = reverse("analytics:rows", args=[ref.case.pk, ref.party.pk])
    span = "start=2024-01-01&end=2024-01-31&counted=1"
    assert months[0]["out_url"] == f"{rows_url}?{span}&direction=out"
    assert [t.row_no for t in c.get(months[0]["out_url"]).context["page"]] == [3, 4, 5]
    assert [t.row_no for t in c.get(months[0]["in_url"]).context["page"]] == [2]


def _api_review_confirm(c: Client, ref: Any) -> tuple[int, int]:
    base = f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/previews"
    body = {"token": "x", "preset": "cmb"}
    review = c.post(f"{base}/review", body, "application/json").status_code
    confirm = c.post(f"{base}/confirm", body, "application/json").status_code
    return int(review), int(confirm)


@pytest.mark.parametrize("who", READERS)
def test_higher_courts_cannot_review_or_confirm(
    world: dict[str, Any], people: dict[str, Any], who: str
) -> None:
    assert _api_review_confirm(client_for(people, who), world["ref"]) == (403, 403)


@pytest.mark.parametrize("who", STRANGERS)
def test_other_courts_see_no_preview_and_cannot_copy_our_layout(
    world: dict[str, Any], people: dict[str, Any], who: str
) -> None:
    c, ref = client_for(people, who), world["ref"]
    assert (
        c.get(reverse("analytics:preview", args=[ref.case.pk, ref.party.pk]) + "?token=x").status_code == 404
    )
    assert _api_review_confirm(c, ref) == (404, 404)
    ours = services.copy_preset(people["judge"], world["job"].preset)
    assert c.post(reverse("analytics:preset_copy", args=[ours.pk])).status_code == 404
    assert c.post(f"/api/v1/analytics/presets/{ours.pk}/copy", {}, "application/json").status_code == 404


def test_a_forged_token_is_refused_on_the_api(world: dict[str, Any], people: dict[str, Any]) -> None:
    ref = world["ref"]
    c = client_for(people, "judge")
    resp = c.post(
        f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/previews/review",
        {"token": "forged", "preset": "cmb"},
        "application/json",
    )
    assert resp.status_code == 422
    assert resp.json() == {"detail": "预览已过期或无效，请重新上传文件", "field": "token", "code": "invalid"}


def test_categories_and_counterparties_link_to_their_rows(
    world: dict[str, Any], people: dict[str, Any]
) -> None:
    """The category chart and the counterparty network are indicators too: each links to its lines."""
    c = client_for(people, "judge")
    prof, ref, job = world["profile"], world["ref"], world["job"]
    ids = dict(Transaction.objects.filter(job=job).values_list("row_no", "pk"))
    indicators = {
        **prof.indicators,
        "categories": {
            "utilities": {"net": "3.00", "n": 1, "ids": [ids[4]]},
            "cash": {"net": "1000.00", "n": 60, "ids": [ids[5]]},
        },
        "regular_income": [{"counterparty": "广州某科技有限公司", "total": "12000.00"}],
    }
    Profile.objects.filter(pk=prof.pk).update(indicators=indicators)
    page = c.get(reverse("analytics:profile", args=[prof.pk]))
    rows_url = reverse("analytics:rows", args=[ref.case.pk, ref.party.pk])
    cats = [(x["cat"], x["n"], x["partial"], x["url"]) for x in page.context["category_links"]]
    assert cats == [
        ("cash", 60, True, f"{rows_url}?profile={prof.pk}&rule=cat%3Acash"),
        ("utilities", 1, False, f"{rows_url}?profile={prof.pk}&rule=cat%3Autilities"),
    ]
    html = page.content.decode()
    assert "按类别查看流水" in html and "（链接列出前1笔）" in html
    behind = c.get(cats[0][3])
    assert [t.row_no for t in behind.context["page"]] == [5]
    assert "指标“消费类别：" in behind.content.decode() and "（此处列出前1笔）" in behind.content.decode()
    api = client_for(people, "judge").get(
        f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/transactions",
        {"profile": prof.pk, "rule": "cat:utilities"},
    )
    assert [r["row_no"] for r in api.json()["items"]] == [4]
    [payer] = page.context["counterparty_links"]
    assert (payer["name"], payer["kind"]) == ("广州某科技有限公司", "固定收入来源")
    assert [t.row_no for t in c.get(payer["url"]).context["page"]] == [2]
    assert "按交易对手查看流水" in html
