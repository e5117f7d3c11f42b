"""Running totals of the situation screens: each payment's delta added in its transaction equals the full
recount after any sequence of events; a drift is corrected by the reconciliation; the screens of one
process share one subscription per court group."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests import factories
from zhixing.cases import queries_quality, services
from zhixing.cases.models import Payment
from zhixing.cases.services.performance import PaymentItem, record_payments
from zhixing.command import situation, totals
from zhixing.command.models import SituationTotal
from zhixing.courts.roles import Role

from .conftest import TODAY
from .test_situation import MEMORY, Socket, _listen, _next

pytestmark = pytest.mark.django_db
START = date(2026, 3, 1)


def _total(court_id: int) -> str:
    return totals.read([court_id], START)[court_id][totals.RECEIVED]


def _recount(court_id: int) -> str:
    return str(queries_quality.payments_received(court_id, START, TODAY))


def test_deltas_equal_the_full_recount_after_random_event_sequences(
    people: dict[str, Any], frozen: None, django_capture_on_commit_callbacks: Any
) -> None:
    th = people["clerk"].court
    ft_clerk = factories.staff(people["ft_director"].court, Role.CLERK, username="ft_clerk_totals")
    cases = [factories.case(people["clerk"]) for _ in range(3)] + [factories.case(ft_clerk) for _ in range(2)]
    courts = sorted({c.court_id for c in cases})
    assert len(courts) == 2
    situation.refresh(courts)  # the month's totals exist (counted from nothing)
    assert {c: _total(c) for c in courts} == dict.fromkeys(courts, "0.00")
    # Dated last month, this month, today and in the future: only [1 March, today] counts, as in the recount.
    days = [START - timedelta(days=3), START, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=2)]
    for seed in range(5):
        rng = random.Random(seed)
        for step in range(25):
            case = rng.choice(cases)
            amount = Decimal(rng.randint(1, 1_000_000)) / 100
            ref = f"t{seed}-{step}"
            kind = rng.random()
            with django_capture_on_commit_callbacks(execute=True):
                if kind < 0.15:  # rolled back: neither the payment nor its delta stays
                    with pytest.raises(RuntimeError), transaction.atomic():
                        services.record_payment(
                            case.pk, amount, rng.choice(days), source="direct", reference=ref
                        )
                        raise RuntimeError("rolled back")
                elif kind < 0.35:  # a batch over both courts, one reference repeated (recorded once)
                    items = [
                        PaymentItem(
                            c.pk,
                            Decimal(rng.randint(1, 99_999)) / 100,
                            rng.choice(days),
                            "direct",
                            f"{ref}-{i}",
                        )
                        for i, c in enumerate(rng.sample(cases, 3))
                    ]
                    record_payments([*items, items[0]])
                elif kind < 0.5:  # a reversal of an earlier payment
                    earlier = Payment.objects.filter(case=case, amount__gt=0).order_by("?").first()
                    if earlier is not None:
                        services.record_payment(
                            case.pk, -earlier.amount, earlier.paid_on, source="reversal", reference=ref
                        )
                elif kind < 0.6:  # the same reference again: nothing moves
                    services.record_payment(case.pk, amount, TODAY, source="direct", reference="t0-0")
                else:
                    services.record_payment(case.pk, amount, rng.choice(days), source="direct", reference=ref)
        assert {c: _total(c) for c in courts} == {c: _recount(c) for c in courts}, seed
    # The screens' cached figures followed the totals, and a full recomputation finds the same.
    assert {c: situation.cached([c])[c]["figures"]["received"] for c in courts} == {
        c: _recount(c) for c in courts
    }
    assert {c: situation.compute(c)["figures"]["received"] for c in courts} == {c: _total(c) for c in courts}
    assert th.pk in courts and Decimal(_total(th.pk)) != 0


def test_a_payment_refresh_reads_the_total_and_counts_nothing(
    people: dict[str, Any], frozen: None, django_capture_on_commit_callbacks: Any
) -> None:
    case = factories.case(people["clerk"])
    situation.refresh([case.court_id])
    with django_capture_on_commit_callbacks(execute=True):
        services.record_payment(case.pk, Decimal("10.00"), TODAY, source="direct", reference="p-1")
    version = situation.cached([case.court_id])[case.court_id]["version"]
    with CaptureQueriesContext(connection) as ctx:
        situation.refresh([], totals_only=[case.court_id])
    # Besides the cache (a table in tests) and the courts above (where to push): one read of the total.
    tables = [re.findall(r'FROM "(\w+)"', q["sql"]) for q in ctx.captured_queries]
    read = [t for t in tables if t and t[0] not in ("zhixing_cache", "courts_court")]
    assert read == [["command_situationtotal"]], tables
    entry = situation.cached([case.court_id])[case.court_id]
    assert (entry["figures"]["received"], entry["version"]) == ("10.00", version + 1)


def test_a_court_without_a_total_this_month_is_recounted_and_gets_one(
    people: dict[str, Any], frozen: None, django_capture_on_commit_callbacks: Any
) -> None:
    case = factories.case(people["clerk"])
    SituationTotal.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_payment(case.pk, Decimal("7.25"), TODAY, source="direct", reference="n-1")
    row = SituationTotal.objects.get(court_id=case.court_id, period_start=START, key=totals.RECEIVED)
    assert row.value == Decimal("7.25")
    assert situation.cached([case.court_id])[case.court_id]["figures"]["received"] == "7.25"


@override_settings(CHANNEL_LAYERS=MEMORY)
def test_the_reconciliation_corrects_a_drifted_total_and_pushes_it(
    people: dict[str, Any], frozen: None, django_capture_on_commit_callbacks: Any
) -> None:
    case = factories.case(people["clerk"])
    situation.refresh([case.court_id])
    with django_capture_on_commit_callbacks(execute=True):
        services.record_payment(case.pk, Decimal("300.00"), TODAY, source="direct", reference="d-1")
    # A payment written around the services (no event): the total drifts from the payments.
    Payment.objects.create(case=case, amount=Decimal("0.50"), paid_on=TODAY, source="direct", reference="raw")
    assert _total(case.court_id) == "300.00"
    channel = _listen(case.court_id)
    assert situation.reconcile_all() == 1
    assert _total(case.court_id) == "300.50"
    import json

    pushed = json.loads(_next(channel)["text"])
    assert (pushed["court"], pushed["figures"]["received"]) == (case.court_id, "300.50")


def test_the_periodic_task_reconciles(people: dict[str, Any], frozen: None) -> None:
    from zhixing.command import situation_tasks

    case = factories.case(people["clerk"])
    situation.refresh([case.court_id])
    SituationTotal.objects.filter(court_id=case.court_id).update(value=Decimal("99.00"))
    situation_tasks.reconcile_totals.call_local()
    assert _total(case.court_id) == "0.00"


@pytest.mark.django_db(transaction=True)
@override_settings(CHANNEL_LAYERS=MEMORY)
def test_screens_of_one_process_share_one_subscription_per_group(people: dict[str, Any]) -> None:
    th = people["director"].court
    path = f"/ws/command/situation/{th.pk}/"
    group = situation.group_name(th.pk)

    async def run() -> None:
        layer = get_channel_layer()
        a, b = Socket(path, people["operator"], th.pk), Socket(path, people["director"], th.pk)
        for ws in (a, b):
            assert (await ws.connect())["type"] == "websocket.accept"
            assert (await ws.receive_json())["type"] == "snapshot"
        assert len(layer.groups[group]) == 1  # one relay for both screens
        await layer.group_send(group, {"type": "situation.update", "court": th.pk, "text": '{"v": 1}'})
        assert [await a.receive_json(), await b.receive_json()] == [{"v": 1}, {"v": 1}]
        await a.send_input({"type": "websocket.disconnect", "code": 1000})
        await a.wait(1)
        await layer.group_send(group, {"type": "situation.update", "court": th.pk, "text": '{"v": 2}'})
        assert await b.receive_json() == {"v": 2}
        assert await a.receive_nothing()
        await b.send_input({"type": "websocket.disconnect", "code": 1000})
        await b.wait(1)
        assert not layer.groups.get(group)  # the last screen gone: the process leaves the group

    async_to_sync(run)()
