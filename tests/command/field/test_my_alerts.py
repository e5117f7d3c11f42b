"""我的预警 and the bell for every role the alerts and field tasks involve (the demo walk found 我的预警
empty for every role but the handling judge, and no bailiff ever told of a task)."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests import factories
from zhixing.command import alerts, dispatch
from zhixing.command.models import Alert
from zhixing.core.models import Notification
from zhixing.courts.roles import Role

from .test_field_services import NOW, post_reads, read

pytestmark = pytest.mark.django_db


def mine(user: Any) -> list[int]:
    return [a.pk for a in alerts.listing(user, mine=True, status="all")]


def page(user: Any) -> str:
    c = Client()
    c.force_login(user)
    r = c.get(reverse("command_my_alerts"))
    assert r.status_code == 200
    return r.content.decode()


@time_machine.travel(NOW, tick=False)
def test_my_alerts_hold_what_i_was_sent_on_or_took_a_step_on(
    people: dict[str, Any], field: dict[str, Any]
) -> None:
    hit = post_reads(field["key"], [read("r1")]).json()["hits"][0]["alert_id"]
    assistant = factories.staff(
        field["case"].court, Role.ASSISTANT, username="th_assistant_t1", team=field["t1"]
    )
    before = Notification.objects.count()
    task = dispatch.dispatch_nearest(people["operator"], hit)
    assert list(task.bailiffs.all()) == [people["bailiff"]]
    # the bailiff sent on the task and the operator who dispatched it find the alert in 我的预警; the
    # handling judge as before; the other team's bailiff and the clerk do not
    assert (
        mine(people["bailiff"]) == [hit]
        and mine(people["operator"]) == [hit]
        and mine(people["judge"]) == [hit]
    )
    assert mine(field["b2"]) == [] and mine(people["clerk"]) == []
    assert f'href="/command/alerts/{hit}/"' in page(people["bailiff"])
    c = Client()
    c.force_login(people["bailiff"])
    assert c.get(reverse("command_alert", args=[hit])).status_code == 200  # the row opens
    c.force_login(field["b2"])
    assert c.get(reverse("command_alert", args=[hit])).status_code == 404
    assert alerts.counts(people["bailiff"])["mine"] == 1
    c.force_login(people["bailiff"])  # the page's live stream lists the same
    stream = c.get("/api/v1/command/alerts", {"after": 0, "mine": "true"}).json()["alerts"]
    assert [a["id"] for a in stream] == [hit]
    # the crew is told in its bell: the bailiff and the team's field staff, not the dispatcher
    told = Notification.objects.order_by("pk")[before:]
    task_notes = [(n.recipient.username, n.url) for n in told if n.kind == "command.task"]
    url = reverse("command_field_task", args=[task.pk])
    assert sorted(task_notes) == sorted([("th_bailiff", url), ("th_assistant_t1", url)])
    assert assistant.pk not in [n.recipient_id for n in told if n.kind != "command.task"]
    # someone nothing is routed to reads what arrives there
    clerk_page = page(people["clerk"])
    assert 'data-testid="alerts-mine-help"' in clerk_page and 'id="link-all-alerts"' not in clerk_page
    assert 'id="link-all-alerts"' in page(people["president"])


@time_machine.travel(NOW, tick=False)
def test_an_unclaimed_receipt_is_routed_to_the_courts_finance(
    people: dict[str, Any], field: dict[str, Any], courts: dict[str, Any]
) -> None:
    """An unidentified receipt has no case and so no handler: the sweep routes it to the court's finance
    post, so every finance officer of the court (not one picked by name) finds it in 我的预警 and the
    bell and may take it; finance of another court and other posts do not."""
    from datetime import date
    from decimal import Decimal

    from zhixing.command import alert_feeds
    from zhixing.funds.models import Receipt

    court = field["case"].court
    second = factories.staff(court, Role.FINANCE, username="th_finance_2")
    elsewhere = factories.staff(courts["yx"], Role.FINANCE, username="yx_finance_other")
    Receipt.objects.create(  # a receipt the bank booked to no case, its claim period over
        court=court,
        bank_txn_id="T-UNCLAIMED-1",
        source="notice",
        amount=Decimal("100.00"),
        value_date=date(2026, 11, 2),
        status=Receipt.Status.UNIDENTIFIED,
        claim_due=date(2026, 11, 20),
    )
    assert alert_feeds.sweep(date(2026, 12, 3)).get("receipt_unclaimed") == 1
    alert = Alert.objects.get(kind="receipt_unclaimed")
    assert alert.handler is None and alert.routed_role == Role.FINANCE
    assert mine(people["finance"]) == [alert.pk] and mine(second) == [alert.pk]
    assert mine(elsewhere) == [] and mine(people["clerk"]) == [] and mine(people["judge"]) == []
    told = Notification.objects.filter(kind="command.alert").values_list("recipient__username", flat=True)
    assert sorted(told) == sorted([people["finance"].username, "th_finance_2"])
    assert alerts.may_handle(second, alert) and not alerts.may_handle(elsewhere, alert)
    assert not alerts.may_handle(people["clerk"], alert)
    # the second officer signs for it; it stays in both officers' 我的预警 (one alert, one history)
    alerts.step(second, alert.pk, "acknowledge")
    assert Alert.objects.get(pk=alert.pk).status == Alert.Status.ACKNOWLEDGED
    assert mine(people["finance"]) == [alert.pk] and mine(second) == [alert.pk]
    c = Client()
    c.force_login(second)  # the row names the post it is routed to, on the page and in the stream
    html = c.get(reverse("command_alert", args=[alert.pk])).content.decode()
    assert "<dt>责任人</dt><dd>本院财务人员</dd>" in html
    stream = c.get("/api/v1/command/alerts", {"after": 0, "mine": "true"}).json()["alerts"]
    assert [(a["id"], a["handler"]) for a in stream] == [(alert.pk, "本院财务人员")]
    c.force_login(elsewhere)
    assert c.get(reverse("command_alert", args=[alert.pk])).status_code == 404


def test_the_court_less_administrator_is_told_why_supervision_is_empty(courts: dict[str, Any]) -> None:
    root = factories.staff(None, Role.DIRECTOR, username="root", is_superuser=True)
    c = Client()
    c.force_login(root)
    html = c.get(reverse("supervision")).content.decode()
    assert 'data-testid="supervision-no-court"' in html and 'href="/admin/"' in html
    assert 'id="supervision-table"' not in html
    bell = c.get(reverse("notifications")).content.decode()
    assert 'data-testid="notifications-help"' in bell and "您的账号不属于任何法院" in bell


@time_machine.travel(NOW, tick=False)
def test_an_alert_on_a_case_with_no_handler_goes_to_the_director(people: dict[str, Any]) -> None:
    """A case not yet assigned (分案 pending) has nobody responsible: its alerts go to the court's
    director, who assigns it, rather than to no one; a case with a handler keeps going to the handler."""
    case = factories.case(people["clerk"])
    assert case.handler_id is None
    raised = alerts.raise_alert(
        Alert.Kind.NODE_OVERDUE, case.court, case, "无人承办", "", None, "t:unassigned"
    )
    assert raised.alert.handler is None and raised.alert.routed_role == Role.DIRECTOR
    assert mine(people["director"]) == [raised.alert.pk] and mine(people["judge"]) == []
    assert raised.alert.responsible == "本院执行局局长"
    told = Notification.objects.filter(kind="command.alert").values_list("recipient__username", flat=True)
    assert list(told) == [people["director"].username]
    case.handler = people["judge"]
    case.save(update_fields=["handler"])
    assigned = alerts.raise_alert(Alert.Kind.NODE_OVERDUE, case.court, case, "已分案", "", None, "t:assigned")
    assert assigned.alert.handler == people["judge"] and assigned.alert.routed_role == ""
