"""The court's batch (`run_batch`) writes, set-based, what computing each debtor's profile alone writes:
the same profiles, leads and audit records; and its queries do not grow with its debtors."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from zhixing.analytics import queries, services
from zhixing.analytics.models import BatchRun, Profile, PropertyLead
from zhixing.cases.demo.people import credit_code, resident_id
from zhixing.cases.services import PartyData
from zhixing.core.models import AuditRecord

from . import leadflows
from .conftest import FIXTURES, load
from .test_seams import FROZEN_ON, freeze, open_case, restrict
from .test_seams import _quiet as _quiet  # autouse here too: no dispatch, a fresh screening index

ADDRESS = "广州市天河区某路1号"
GIVEN = "小明 小红 小刚 小丽 小华 小军 小芳 小强 小燕 小龙 小凤 小虎"


def debtors(people: dict[str, Any], presets: dict[str, Any], n: int, first: int = 0) -> list[Any]:
    """`n` cases of the court, each a person debtor surnamed 张 (every second one at one address, so the
    others are its related parties) with a statement imported; every third one with a company whose
    legal representative it is, every fourth one with a declared relative."""
    refs = []
    for i in range(first, first + n):
        name = "张" + GIVEN.split()[i % 12] + ("" if i < 12 else str(i))
        parties = [
            PartyData(
                role="applicant", kind="organisation", name="某银行", credit_code=factories.VALID_CREDIT
            ),
            PartyData(
                role="debtor",
                kind="person",
                name=name,
                id_number=resident_id("440106", date(1980, 1, 1) + timedelta(days=i), i),
                address=ADDRESS if i % 2 else "",
            ),
        ]
        if i % 3 == 0:
            parties.append(
                PartyData(
                    role="applicant",
                    kind="organisation",
                    name=f"广州张氏{i}贸易有限公司",
                    credit_code=credit_code("91", "440101", f"MA5Q8A{i:03d}"),
                    legal_representative=name,
                )
            )
        case = factories.case(people["clerk"], parties=parties)
        party = case.parties.get(role="debtor")
        ref = queries.debtor(people["judge"], case.pk, party.pk)
        assert ref is not None
        data = leadflows.statement() if i % 2 else (FIXTURES / "cmb_sample.csv").read_bytes()
        load(ref, people["judge"], presets["cmb"], data)
        if i % 4 == 0:
            services.add_related_person(
                people["judge"], ref, name=f"李{i}", relation="spouse", account="62220001"
            )
        refs.append(ref)
    return refs


def restricted_and_frozen(people: dict[str, Any], presets: dict[str, Any]) -> Any:
    """A debtor under a consumption restriction, with a frozen account (the credit and inquiry reads)."""
    case = open_case(people)
    restrict(people, case)
    freeze(people, case, "6222000011112222", "3000.00", FROZEN_ON)
    ref = queries.debtor(people["judge"], case.pk, case.parties.get(role="debtor").pk)
    load(ref, people["judge"], presets["cmb"], (FIXTURES / "cmb_sample.csv").read_bytes())
    return ref


def written(profiles: list[Profile]) -> dict[int, Any]:
    """Per debtor, everything a profile's computation writes, without ids, times or the batch."""
    out = {}
    for p in profiles:
        leads = PropertyLead.objects.filter(profile=p).order_by("id")
        audits = AuditRecord.objects.filter(object_type="Profile", object_id=str(p.pk)).order_by("id")
        out[p.party_id] = {
            "profile": (
                p.court_id,
                p.ruleset_id,
                p.period_start,
                p.period_end,
                p.score,
                p.indicators,
                p.findings,
                p.recommendations,
                p.key_dates,
                p.computed_by_id,
            ),
            "leads": list(
                leads.values_list(
                    "party_id", "counterparty", "account", "lead_type", "months", "total", "kind", "target"
                )
            ),
            "audit": list(
                audits.values_list(
                    "action", "actor_id", "actor_name", "court_code", "chain", "case_id", "after"
                )
            ),
        }
    return out


def test_a_batch_writes_what_each_profile_alone_writes(
    people: dict[str, Any], presets: dict[str, Any]
) -> None:
    refs = [*debtors(people, presets, 7), restricted_and_frozen(people, presets)]
    director = people["director"]
    run = services.run_batch(services.create_batch(director).pk)
    assert (run.status, run.total, run.processed) == (BatchRun.Status.DONE, len(refs), len(refs))
    assert connection.features.can_return_rows_from_bulk_insert  # bulk_create gives the profiles' ids
    batch = written(list(Profile.objects.filter(batch=run)))
    end = timezone.localdate()
    alone = written(
        [
            services.compute_profile(
                director, ref, start=min(ref.case.effective_on - timedelta(days=365), end), end=end
            )
            for ref in refs
        ]
    )
    assert batch == alone
    assert sorted(batch) == sorted(ref.party.pk for ref in refs)
    # the contexts read from the other domains and the court's cases are there, and leads were written
    ctx = {pid: w["profile"][8] for pid, w in batch.items()}
    assert ctx[refs[-1].party.pk]["restrictions"] and ctx[refs[-1].party.pk]["freezes"]
    assert {why for c in ctx.values() for _, why, _ in c["related"]} == {
        "配偶",
        "同姓同住址",
        "担任法定代表人的单位",
    }
    assert any(w["leads"] for w in batch.values())
    assert all(len(w["audit"]) == 1 for w in batch.values())


def test_the_batch_s_queries_do_not_grow_with_its_debtors(
    people: dict[str, Any], presets: dict[str, Any]
) -> None:
    director = people["director"]

    def queries_of_a_batch() -> tuple[int, int]:
        """(debtors, queries) of a batch of every debtor of the court, after a first batch (which may
        rebuild a snapshot older than its import: two queries a debtor, once)."""
        services.run_batch(services.create_batch(director).pk)
        run = services.create_batch(director)
        with CaptureQueriesContext(connection) as ctx:
            done = services.run_batch(run.pk)
        assert done.status == BatchRun.Status.DONE and done.processed == done.total
        return done.total, len(ctx.captured_queries)

    debtors(people, presets, 3)
    small = queries_of_a_batch()
    debtors(people, presets, 9, first=3)
    big = queries_of_a_batch()
    assert (small[0], big[0]) == (3, 12)
    assert big[1] <= small[1], (small, big)
