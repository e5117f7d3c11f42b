"""Every check of the `make run` demo, on one demo load (`tests.demo_world`: `seed_demo` once for this
module, rolled back at its end; each test's writes are rolled back after it).

Moved here from the modules of their domains, whose other tests need no demo: the load itself
(tests/services), money, custody accounts and reconciliation (tests/funds), measures (tests/measures) and
no raw identifier on a public page (tests/security). The checks of every module's states, payout clocks
and controls over time need a bigger demo (400 and 200 cases) and still load their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import Client
from django.utils import timezone

from tests.demo_world import DemoWorld, loaded
from tests.security import public_crawl
from tests.services.demo_world_checks import (
    bankruptcy_demo_cases,
    finance_and_approvals_show_work,
    pages_open_on_demo_cases,
)
from zhixing.cases.demo import fidelity as fidelity_demo
from zhixing.cases.models import OPEN_STATUSES, EnforcementCase, SupervisionOrder
from zhixing.core.audit import verify_chain
from zhixing.core.models import AuditRecord
from zhixing.courts.models import Court, Staff
from zhixing.credit.models import Listing
from zhixing.funds import demo_money, payable, queries, services
from zhixing.funds.management.commands import funds_demo_interest
from zhixing.funds.models import (
    AccountKind,
    CustodyAccount,
    LedgerAccount,
    Payout,
    Receipt,
    Reconciliation,
    ReconciliationAlert,
)
from zhixing.inquiry import demo_preservation
from zhixing.measures import demo as measures_demo
from zhixing.measures.models import Consequence, Proposal

# slow: dealt out first in a parallel run (conftest.py), so it does not run alone at the end.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


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


# -- tests/funds: clocks, money, custody, reconciliation ----------------------------------------------


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
    # The auction demo's bank notices (a deposit and a balance paid in, waiting for finance to name them:
    # auction money is recognised only from the bank) are the court's unidentified receipts too.
    auction_notices = Q(bank_txn_id__startswith="DEMO-DEP-") | Q(bank_txn_id__startswith="DEMO-BAL-")
    waiting = court_receipts.filter(auction_notices, status="unidentified").count()
    assert waiting == 2
    receipts = Counter(court_receipts.exclude(auction_notices).values_list("status", flat=True))
    assert receipts["unidentified"] == 2 and receipts["claimed"] == 1
    assert receipts["returning"] == 1 and receipts["returned"] == 1
    sources = set(court_receipts.filter(status="booked", case_id__in=ids).values_list("source", flat=True))
    # A lot's price comes in as the bank's notice too (auction money only from the bank), not a source
    # of its own.
    assert sources == {"notice", "deduction", "manual"}
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
    recs = list(Reconciliation.objects.filter(court=fifth).order_by("statement_date"))
    assert [r.status for r in recs] == ["balanced", "differences", "confirmed"]
    # and one day of the demo logins' court (天河), with its two differences: the walk found none there
    featured = Reconciliation.objects.exclude(court=fifth).get()
    assert (featured.court.code, featured.status) == ("粤0106", "differences")
    assert sorted(featured.items.values_list("side", flat=True)) == ["bank_only", "ledger_only"]
    middle = recs[1]
    assert sorted(middle.items.values_list("side", flat=True)) == ["bank_only", "ledger_only"]
    assert all(i.candidates for i in middle.items.all())
    assert ReconciliationAlert.objects.filter(court=fifth, resolved_at__isnull=True).count() == 1
    call_command("funds_demo_reconciliation", verbosity=0)  # again: nothing more
    assert Reconciliation.objects.count() == 4


# -- tests/inquiry and tests/measures ----------------------------------------------------------------


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


def test_demo_supervision_orders_are_issued_before_their_deadlines(world: DemoWorld) -> None:
    """The demo's overdue 督办 were issued on an earlier business day: their time says so, so none
    reads as issued today after its own deadline."""
    orders = list(SupervisionOrder.objects.all())
    assert orders and any(o.due_on < timezone.localdate() for o in orders)
    assert all(timezone.localtime(o.issued_at).date() <= o.due_on for o in orders)
