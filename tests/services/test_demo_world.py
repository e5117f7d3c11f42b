"""Every check of the `make run` demo, on one demo load (`tests.demo_world`: `seed_demo` once for this
module, rolled back at its end; each test's writes are rolled back after it).

Moved here from the modules of their domains, whose other tests need no demo: the load itself and the
states of every module (tests/services), payout clocks, money, custody accounts and reconciliation
(tests/funds), controls over time (tests/inquiry), measures (tests/measures) and no raw identifier on a
public page (tests/security).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.demo_world import DemoWorld, loaded
from tests.security import public_crawl
from tests.services.demo_expected import (
    EXPECTED,
    bankruptcy_demo_cases,
    finance_and_approvals_show_work,
    pages_open_on_demo_cases,
    untranslated_audit_values,
)
from tests.services.demo_walk import role_pages, timeline_link_refusals
from zhixing.analytics.models import Profile, PropertyLead
from zhixing.auctions.models import Lot
from zhixing.cases.demo import fidelity as fidelity_demo
from zhixing.cases.models import OPEN_STATUSES, EnforcementCase, Party
from zhixing.command.models import FieldTask
from zhixing.core.audit import verify_chain
from zhixing.core.models import AuditRecord
from zhixing.courts import demo_roster
from zhixing.courts.models import Court, CourtLevel, Staff
from zhixing.credit.models import LegalRepChange, Listing, ListingNotice
from zhixing.entrust import demo as entrust_demo
from zhixing.funds import demo_money, payable, queries, queries_withholding, services
from zhixing.funds.management.commands import funds_demo_interest
from zhixing.funds.models import (
    AccountKind,
    CustodyAccount,
    IncomeWithholding,
    LedgerAccount,
    Payout,
    PayoutClock,
    PayoutHold,
    Receipt,
    Reconciliation,
    ReconciliationAlert,
)
from zhixing.funds.queries_holds import held_amount
from zhixing.inquiry import demo_preservation
from zhixing.inquiry.models import Asset, ControlAlert, InquiryRequest
from zhixing.measures import demo as measures_demo
from zhixing.measures.models import Consequence, Proposal
from zhixing.objections.models import Objection

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoWorld]:
    with loaded(django_db_blocker) as world:
        yield world


@pytest.fixture
def world(demo_world: DemoWorld, db: None) -> DemoWorld:
    """The module's demo, inside this test's own transaction."""
    return demo_world


# -- tests/services: the load, every module's states --------------------------------------------------


def test_demo_loads_once(world: DemoWorld) -> None:
    """`seed_demo` loads the province and its cases once; a second run skips (`--if-empty`) or refuses."""
    CASES = world.cases
    assert Court.objects.count() == 7 + 3  # entrust_demo: 湖南高院, 长沙中院, 岳麓区法院 (another province)
    # the measures demo and the interest demo file their own
    assert (
        EnforcementCase.objects.count()
        == CASES
        + measures_demo.NEW_CASES
        + funds_demo_interest.NEW_CASES
        + fidelity_demo.NEW_CASES
        + bankruptcy_demo_cases()
        + demo_preservation.NEW_CASES
    )
    assert Staff.objects.filter(username__in=["admin", "th_judge1", "gd_president"]).count() == 3
    assert AuditRecord.objects.filter(action="case.file").exists()
    # issue 15: a notice waiting for service and served ones (every demo listing serves one first)
    from zhixing.cases.models import EnforcementNotice
    from zhixing.credit.models import Listing

    assert EnforcementNotice.objects.filter(served_on__isnull=True).count() == 1
    served = set(EnforcementNotice.objects.filter(served_on__isnull=False).values_list("case_id", flat=True))
    assert served and set(Listing.objects.values_list("case_id", flat=True)) <= served
    # issue 17: documents of (nearly) every kind on the demo cases, each with its template version and hash
    from zhixing.documents.models import Document

    kinds = set(Document.objects.values_list("kind", flat=True))
    assert len(kinds) >= 10 and {"enforcement_notice", "assistance_notice", "listing_decision"} <= kinds
    assert not Document.objects.filter(sha256="").exists()
    # issue 19.4: settlement agreements on track, with a missed instalment (alerted), fully performed
    from zhixing.cases.models import SettlementAgreement
    from zhixing.command.models import Alert

    assert sorted(SettlementAgreement.objects.values_list("status", flat=True)) == [
        "active",
        "breached",
        "performed",
    ]
    assert Alert.objects.filter(kind="settlement_missed").count() == 1
    # ... and the applicant's online request to resume the breached one, pending for the judge
    from zhixing.cases.models import SettlementResumeRequest

    pending = SettlementResumeRequest.objects.get()
    assert (pending.status, pending.agreement.status) == ("pending", "breached")
    assert f"已生成 {CASES} 件案件" in world.output
    assert "gd_president" in world.output

    again = StringIO()
    call_command("seed_demo", if_empty=True, stdout=again)
    assert again.getvalue() == "已有法院数据，跳过演示数据生成。\n"
    # the measures demo and the interest demo file their own
    assert (
        EnforcementCase.objects.count()
        == CASES
        + measures_demo.NEW_CASES
        + funds_demo_interest.NEW_CASES
        + fidelity_demo.NEW_CASES
        + bankruptcy_demo_cases()
        + demo_preservation.NEW_CASES
    )
    with pytest.raises(CommandError, match="数据库中已有法院数据"):
        call_command("seed_demo", cases=1, verbosity=0)


def test_after_seed_demo_every_module_has_every_state(world: DemoWorld) -> None:
    """Issue 13 #9: after `seed_demo` every module has rows in every state its pages show, and the names
    look real; one test that reports every mismatch at once."""
    found = {
        name: set(model.objects.values_list(field, flat=True).distinct())
        for name, (model, field, _) in EXPECTED.items()
    }
    assert found == {name: want for name, (_, _, want) in EXPECTED.items()}
    # a freeze waiting for the director in 天河 (the demo logins' court) and most basic courts (a court
    # whose found accounts already cover its cases has none to ask); two profiles with leads
    waiting = set(
        InquiryRequest.objects.filter(status="awaiting_approval").values_list("court__code", flat=True)
    )
    # at least one more court than 天河: the demo's case ages move with the date, and on some dates every
    # found account of a court is already frozen or lapsed (nothing left to ask; checked 2026-12-03)
    assert "粤0106" in waiting and len(waiting) >= 2
    assert Profile.objects.filter(pk__in=PropertyLead.objects.values("profile_id")).count() == 2
    # a notice that failed twice and went through on the third attempt; 部分履行 published; a new legal rep
    assert ListingNotice.objects.filter(status="acknowledged", attempts=3).count() == 1
    assert Listing.objects.filter(
        status="active", performance__startswith="部分履行（已履行12,000.00元"
    ).exists()
    assert LegalRepChange.objects.filter(imposed__status="active", lifted__status="lifted").count() == 1
    # issue 19: a lot suspended by a pending third-party objection, one by a pending objection to its
    # reference price, one resumed after its objection was withdrawn
    suspended = Lot.objects.filter(status="suspended", suspended_at__isnull=False)
    assert sorted(suspended.values_list("suspension_cause", flat=True)) == ["price_objection", "third_party"]
    # an interested person (not a party) objecting online to a seizure, on the public form
    assert Objection.objects.filter(
        kind="act", channel="online", objector_party__isnull=True, act_type="seizure", status="pending"
    ).exists()
    resumed = Lot.objects.get(resumed_at__isnull=False)
    assert resumed.status == "announced" and resumed.ends_at > resumed.resumed_at
    # the active withholding order has the employer's first transfer on the case account
    active = IncomeWithholding.objects.get(status="active")
    assert queries_withholding.withholding_row(active).received == active.monthly_amount > 0

    # the staff are exactly the roster the login page lists
    staff = set(Staff.objects.values_list("username", "full_name", "role"))
    # (plus the other province's court the entrustment demo adds, zhixing.entrust.demo)
    assert staff == {(a.username, a.full_name, a.role) for a in demo_roster.accounts()} | set(
        entrust_demo.DEMO_ACCOUNTS
    )

    # parties: persons with a resident ID have 2–4 character names; companies read 地名+字号+行业+公司
    people = list(Party.objects.filter(kind="person", id_type="resident_id").values_list("name", flat=True))
    assert people and [n for n in people if not 2 <= len(n) <= 4] == []
    firms = list(Party.objects.filter(kind="organisation").values_list("name", flat=True))
    company = re.compile(
        r"(广州市|深圳市|香港)(天河区|越秀区|福田区|南山区)?[\u4e00-\u9fff]{2}.+(有限公司|有限责任公司)"
    )
    bank = re.compile(r".+银行股份有限公司.+(分行|支行)")
    odd = [n for n in firms if not (company.fullmatch(n) or bank.fullmatch(n))]
    assert len(odd) <= len(firms) // 50, odd  # the hand-made showcase parties may read differently

    # the featured bailiff (th_bailiff1, printed by `make run`) has field tasks in the field app
    assert FieldTask.objects.filter(court__code="粤0106", bailiffs__username="th_bailiff1").count() >= 1

    # Every audit record of the demo reads in words on the case pages' timelines: no bare code
    # (`状态：booked`, `触发事件：inquiry.filed`) is left in a field, only in fields that hold a code.
    assert untranslated_audit_values() == {}

    # A flow node's 关联业务 link is a link only for who may open it (the clerk, the president, the bailiff
    # and finance were shown the asset register's batch link and got 无权访问): none answers 403.
    assert timeline_link_refusals() == {}
    # 我的预警 and the bell show each demo role its own rows (or, for a role nothing is routed to, what
    # arrives there); 节点监管 tells the court-less administrator why it has no figures (the demo walk
    # found all three empty for most roles)
    assert role_pages() == {}


# -- tests/funds: clocks, money, custody, reconciliation ----------------------------------------------


def test_demo_has_clocks_in_every_state_and_holds_for_every_reason(world: DemoWorld) -> None:
    """`make run`'s demo shows payout clocks in every state on the second demo court's cases."""
    second = Court.objects.filter(code="粤0104").get()  # 越秀: the second court by id with cases
    clocks = list(PayoutClock.objects.filter(receipt__bank_txn_id__startswith="DEMO-CLOCK-"))
    assert {c.court_id for c in clocks} == {second.pk}
    today = timezone.localdate()
    running = [c for c in clocks if c.status == "running"]
    assert any(c.due_on and c.due_on < today for c in running)  # overdue
    assert any(c.due_on and 0 <= (c.due_on - today).days <= 5 for c in running)  # due soon
    assert any(c.due_on and (c.due_on - today).days > 10 for c in running)  # running
    assert any(c.status == "met" for c in clocks)
    assert any(0 < c.open_amount < c.amount and c.overdue_since for c in running)  # partly paid, overdue
    holds = list(PayoutHold.objects.filter(court=second))
    active = {h.reason for h in holds if h.end is None}
    assert active == {"distribution", "disputed", "frozen_elsewhere", "unreachable", "suspended"}
    lifted = [h for h in holds if h.end is not None]
    assert lifted and all(h.followup_due for h in lifted)
    # the demo's own suspension (the other suspended cases of the demo hold no money)
    suspended = next(h for h in holds if h.reason == "suspended" and h.end is None and h.clocks.exists())
    assert held_amount(suspended.case) == 64000
    assert all(c.status == "held" for c in suspended.clocks.all())
    assert verify_chain().ok
    # again: nothing more
    n = Receipt.objects.count()
    call_command("funds_demo_clocks", verbosity=0)
    assert Receipt.objects.count() == n


def test_every_state_is_present_and_the_ledger_balances(world: DemoWorld) -> None:
    """`make run` shows real money on first start (issue 12 item 1): `seed_demo` runs `funds_demo_money`,
    which leaves receipts, unidentified receipts and payouts in every state on the first demo court's
    first six open cases — through the services, so the ledger balances — and the payment instructions
    open on them."""
    court = demo_money.demo_court()
    assert court is not None and court.code == "粤0106"
    demo = demo_money.demo_cases(court)
    ids = [c.pk for c in demo]
    # Other demo commands (clocks, distribution, interest, reconciliation) add money on their own cases.
    mine = Payout.objects.filter(case_id__in=ids)
    court_receipts = Receipt.objects.filter(court_id=demo[0].court_id)
    payouts = Counter((p.status, p.purpose) for p in mine)
    for status in ("proposed", "approved", "sending", "paid", "failed", "rejected", "cancelled"):
        assert payouts[(status, "applicant")] >= 1, status
    assert payouts[("paid", "refund")] == 1 and payouts[("proposed", "refund")] == 1
    steps = {p.step for p in mine.filter(status="proposed", purpose="applicant")}
    assert steps == {0, 1, 2}  # waiting at each step of the chain
    assert mine.filter(status="sending").exclude(last_error="").count() == 1
    receipts = Counter(court_receipts.values_list("status", flat=True))
    assert receipts["unidentified"] == 2 and receipts["claimed"] == 1
    assert receipts["returning"] == 1 and receipts["returned"] == 1
    sources = set(court_receipts.filter(status="booked", case_id__in=ids).values_list("source", flat=True))
    assert sources == {"notice", "deduction", "manual", "auction"}  # auction: a lot's price paid in
    for acc in LedgerAccount.objects.filter(kind=AccountKind.CASE):
        assert queries.balance(acc.case_id) == queries.balance_by_sum(acc.case_id)
    bank = LedgerAccount.objects.filter(kind=AccountKind.BANK, court_id=demo[0].court_id).get()
    assert sum(LedgerAccount.objects.values_list("balance", flat=True)) == 0 and bank.balance > 0
    assert (
        payable.payable(demo[5]) == 0 and payable.case_balance(demo[5].pk) == 0
    )  # left for the browser test
    assert verify_chain().ok
    before = (Receipt.objects.count(), Payout.objects.count())
    call_command("funds_demo_money", verbosity=0)  # running again adds nothing
    assert (Receipt.objects.count(), Payout.objects.count()) == before
    pages_open_on_demo_cases(demo)
    finance_and_approvals_show_work()


def test_seeded_demo_courts_have_custody_accounts_and_money_reaches_a_case(world: DemoWorld) -> None:
    """The embedded demo (`make run`) can show the money flow: `seed_demo` registers a custody account for
    every demo court, so a transfer the sandbox bank announces lands on the case it names (issue 10 #14)."""
    courts = Court.objects.count()
    accounts = list(CustodyAccount.objects.order_by("court_id"))
    assert len(accounts) == courts
    prefixes = [a.sub_prefix for a in accounts]
    assert len(set(prefixes)) == courts and {len(p) for p in prefixes} == {6}
    assert AuditRecord.objects.filter(action="funds.custody_account").count() == courts

    case = EnforcementCase.objects.filter(status__in=OPEN_STATUSES).order_by("pk").first()
    assert case is not None
    number = queries.account_view(case).number
    before = queries.balance(case.pk)  # the money demos may already have booked on it
    rec = services.book_incoming(
        services.Incoming(txn_id="DEMO1", amount="2000.00", value_date=date(2026, 3, 10), to_account=number),
        source="notice",
    )
    assert (rec.status, rec.case_id) == ("booked", case.pk)
    assert queries.balance(case.pk) - before == 2000


def test_registering_demo_accounts_again_changes_nothing(world: DemoWorld) -> None:
    before = AuditRecord.objects.count()
    call_command("funds_demo_custody", verbosity=0)
    assert AuditRecord.objects.count() == before


def test_demo_reconciliation_on_the_fifth_court(world: DemoWorld) -> None:
    fifth = list(Court.objects.order_by("pk"))[4]
    recs = list(Reconciliation.objects.order_by("statement_date"))
    assert {r.court_id for r in recs} == {fifth.pk}
    assert [r.status for r in recs] == ["balanced", "differences", "confirmed"]
    middle = recs[1]
    assert sorted(middle.items.values_list("side", flat=True)) == ["bank_only", "ledger_only"]
    assert all(i.candidates for i in middle.items.all())
    assert ReconciliationAlert.objects.filter(court=fifth, resolved_at__isnull=True).count() == 1
    call_command("funds_demo_reconciliation", verbosity=0)  # again: nothing more
    assert Reconciliation.objects.count() == 3


# -- tests/inquiry and tests/measures ----------------------------------------------------------------


def test_seeded_demo_has_every_control_state(world: DemoWorld) -> None:
    """`make run`'s demo shows controls over time out of the box: `seed_demo` leaves, in every basic
    court, controls expiring within the window, a lapsed one with its alert, a queued (轮候) seizure and
    one that took effect — and the list page of a demo judge shows them."""
    today = timezone.localdate()
    window = today + timedelta(days=30)
    # The 湘 courts entrust_demo adds (a receiving court in another province) hold no cases of their own.
    for court in Court.objects.filter(level=CourtLevel.BASIC).exclude(code__startswith="湘"):
        assets = Asset.objects.filter(case__court=court)
        states = Counter(assets.values_list("state", flat=True))
        expiring = assets.filter(
            state__in=["frozen", "seized", "queued"], control_expires__gte=today, control_expires__lte=window
        )
        assert expiring.count() >= 2, court.code
        assert states["lapsed"] >= 1 and states["queued"] >= 1, (court.code, states)
        took_effect = assets.filter(state="seized", registered_on__lt=today - timedelta(days=100))
        assert took_effect.filter(effective_on=today - timedelta(days=12), seizure_rank=1).count() == 1
        levels = Counter(ControlAlert.objects.filter(court=court).values_list("level", flat=True))
        assert levels["warn"] >= 2 and levels["lapsed"] >= 1 and levels["effective"] == 1, (
            court.code,
            levels,
        )
    judge = Staff.objects.get(username="th_judge1")
    client = Client()
    client.force_login(judge)
    html = client.get(reverse("inquiry_controls")).content.decode()
    assert 'id="control-table"' in html and 'data-state="' in html
    assert "控制措施预警" in html


def test_seed_demo_leaves_proposals_and_consequences_in_every_state(world: DemoWorld) -> None:
    """`make run`'s demo shows the measures pages with data: proposals and consequences in every state."""
    states = set(Proposal.objects.filter(court__code="粤0106").values_list("status", flat=True))
    assert {"open", "accepted", "declined"} <= states
    done = set(Consequence.objects.filter(court__code="粤0106").values_list("status", flat=True))
    assert {"applied", "failed"} <= done
    failed = Consequence.objects.get(court__code="粤0106", status="failed", measure="freeze")
    assert "续行冻结" in failed.error


# -- tests/security ------------------------------------------------------------------------------------


def test_no_public_page_shows_a_raw_identifier(world: DemoWorld, client: Client) -> None:
    """Issue 10 #7 (and DESIGN invariant 9): every page reachable without login (every route of the
    URLconf, the JSON API included, its same-site links and GET forms) shows no raw ID number, mobile
    number or street address of the demo's parties or of carelessly written listings (tests.security.
    public_crawl)."""
    public_crawl.check_no_public_page_shows_a_raw_identifier(public_crawl.list_debtors_carelessly(), client)
