"""The soak's freeze leg (benchmarks/soak_controls.py): what it reads off the case's inquiry page, and its
exactly-once check of the freezes the platform accepted (no lost, no duplicated control action; a leg
that froze nothing fails)."""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))  # soak_controls imports soak_workloads beside it
_spec = importlib.util.spec_from_file_location("soak_controls", BENCH / "soak_controls.py")
assert _spec and _spec.loader
soak_controls = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("soak_controls", soak_controls)  # its dataclasses look their module up
_spec.loader.exec_module(soak_controls)
Controls, Freeze = soak_controls.Controls, soak_controls.Freeze

# Rows as the register renders them (inquiry/_register.html): an account with a freeze form offering an
# amount, one whose form offers nothing (headroom used up), one with an order in flight (no form).
PAGE = """
<dl><div><dt>尚可控制额度</dt><dd id="headroom">181,139.91 元</dd></div></dl>
<tr id="asset-203" data-state="frozen" data-expiry="ok"><td class="num" data-testid="frozen-203">100.00</td>
<td><form method="post" action="/inquiry/assets/203/control/" class="inline" id="freeze-form-203">
<input type="hidden" name="action" value="freeze"> <input name="amount" size="10" placeholder="冻结金额"
data-testid="freeze-amount-203" value="71373.99"><button>冻结</button></form></td></tr>
<tr id="asset-204" data-state="none" data-expiry="none"><td class="num" data-testid="frozen-204">0.00</td>
<td><form method="post" action="/inquiry/assets/204/control/" class="inline" id="freeze-form-204">
<input type="hidden" name="action" value="freeze"> <input name="amount" size="10" placeholder="冻结金额"
data-testid="freeze-amount-204"><button>冻结</button></form></td></tr>
<tr id="asset-205" data-state="none" data-expiry="none" data-pending="awaiting_approval">
<td><div data-testid="pending-205"><span class="badge yellow">冻结 1,100.00元 · 待审批</span>
<a class="small" href="/inquiry/requests/218/notice/">请求#218</a></div></td>
<td class="num" data-testid="frozen-205">0.00</td>
<td><span class="muted small">控制请求办理中</span></td></tr>
"""


def test_page_offers_only_forms_with_an_amount() -> None:
    page = soak_controls.read_page(PAGE)
    assert page.headroom == Decimal("181139.91")
    assert page.offers == {203: Decimal("71373.99")}
    assert page.frozen == {203: Decimal("100.00"), 204: Decimal("0.00"), 205: Decimal("0.00")}
    assert soak_controls.read_page("<p>no register</p>").headroom == 0


def test_pending_request_and_refusal_are_read_off_the_page() -> None:
    assert soak_controls.pending_request(PAGE, 205) == (218, Decimal("1100.00"))
    assert soak_controls.pending_request(PAGE, 203) is None
    refused = (
        '<span class="field-error" id="freeze-error-41" data-testid="freeze-error-41" role="alert">'
        "已控制财产已足以清偿剩余执行标的，不得超标的冻结</span>"
    )
    assert soak_controls.refusal(refused, 41) == "已控制财产已足以清偿剩余执行标的，不得超标的冻结"
    assert soak_controls.refusal('<div class="msg error">案件已结案</div>', 41) == "案件已结案"
    assert soak_controls.refusal(PAGE, 203) is None


class World:
    """What the check reads from the database: freeze requests, their audit records, the accounts."""

    def __init__(self) -> None:
        self.requests: list[tuple[Any, ...]] = []  # id, asset, amount, status, parent, outcome
        self.audits: list[tuple[str, str, Any, Any]] = []  # action, object id, before, after
        self.frozen: dict[int, Decimal] = {}

    def freeze(self, req: int, asset: int, before: str, after: str, *, parent: int | None = None) -> None:
        frozen = str(Decimal(after) - Decimal(before))
        self.requests.append((req, asset, Decimal("100.00"), "done", parent, {"frozen": frozen}))
        self.audits += [
            ("inquiry.freeze.request", str(req), None, {}),
            ("inquiry.approve", str(req), None, {}),
            ("inquiry.freeze.result", str(req), {"frozen": before}, {"frozen": after}),
        ]
        self.frozen[asset] = Decimal(after)

    def sql(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if "FROM inquiry_inquiryrequest" in query:
            return [r for r in self.requests if r[1] in params[0]]
        if "FROM core_auditrecord" in query:
            return [a for a in self.audits if a[1] in params[0]]
        if "FROM inquiry_asset" in query:
            return [(a, self.frozen[a]) for a in params[0]]
        raise AssertionError(query)


@pytest.fixture
def world() -> World:
    w = World()
    w.freeze(10, 7, "0.00", "100.00")
    w.freeze(11, 7, "100.00", "200.00")
    w.freeze(12, 8, "0.00", "100.00")
    return w


def leg(*requests: tuple[int, int]) -> Any:
    c = Controls()
    c.mark = 0
    c.accepted = [Freeze(req, 1, asset, Decimal("100.00"), False) for req, asset in requests]
    return c


def test_every_accepted_freeze_once_passes(world: World) -> None:
    c = leg((10, 7), (11, 7), (12, 8))
    assert c.check(world) == []
    assert c.frozen_total == Decimal("300.00") and c.accounts == 2
    assert c.summary(world).startswith("freezes made 3 on 2 accounts in 1 cases")


def test_a_freeze_nobody_accepted_is_a_duplicate(world: World) -> None:
    world.freeze(13, 7, "200.00", "300.00")  # e.g. a retried form post that froze again
    [problem] = leg((10, 7), (11, 7), (12, 8)).check(world)
    assert "freeze requests nobody accepted (duplicated), by account {7: 1}" in problem


def test_a_post_without_answer_may_have_made_one_and_a_remainder_order_is_its_parents(world: World) -> None:
    world.freeze(13, 7, "200.00", "300.00")
    world.freeze(14, 8, "100.00", "200.00", parent=12)  # the remainder of a partial freeze
    c = leg((10, 7), (11, 7), (12, 8))
    c.lost_posts[7] = 1
    assert c.check(world) == []


def test_a_lost_freeze_or_one_applied_twice_or_a_wrong_account_total_fails(world: World) -> None:
    world.requests = [r for r in world.requests if r[0] != 12]  # accepted, never stored
    world.audits.append(("inquiry.freeze.result", "11", {"frozen": "100.00"}, {"frozen": "200.00"}))
    world.frozen[7] = Decimal("300.00")
    [problem] = leg((10, 7), (11, 7), (12, 8)).check(world)
    assert problem.startswith("freeze orders: 3 wrong")
    assert "#12: not the request accepted (None)" in problem
    assert "#11: answer applied 2 times" in problem
    assert "account 7: frozen 300.00, its last answer says 200.00" in problem


def test_a_leg_that_froze_nothing_fails_with_its_reasons() -> None:
    c = leg()
    c.refused["已控制财产已足以清偿剩余执行标的，不得超标的冻结"] = 30
    c.skipped["尚可控制额度为0（已控制财产足以清偿）"] = 12
    assert c.check(World()) == [
        "freeze orders: no freeze made (the freeze leg exercised nothing); refused "
        "{'已控制财产已足以清偿剩余执行标的，不得超标的冻结': 30}; "
        "pages skipped {'尚可控制额度为0（已控制财产足以清偿）': 12}"
    ]


@pytest.mark.django_db
def test_the_real_register_page_reads_as_the_leg_expects(people: dict[str, Any], settings: Any) -> None:
    """The leg's reading of the page the platform renders: the offer, a refusal beside the field, the
    accepted order's request id — so a change of the register template shows here, not as a soak that
    silently freezes nothing."""
    from django.test import Client
    from django.urls import reverse

    from tests.inquiry.conftest import open_case
    from tests.web.test_progress_confirm import account
    from zhixing.inquiry.models import InquiryRequest

    settings.ZHIXING_INQUIRY = {"kick_on_commit": False}
    case = open_case(people)
    asset = account(case, "1000.00")
    browser = Client()
    browser.force_login(people["judge"])
    url = reverse("inquiry_case", args=[case.pk])
    page = soak_controls.read_page(browser.get(url).content.decode())
    assert page.offers == {asset.pk: Decimal("1000.00")} and page.headroom > Decimal("1000.00")
    control = reverse("inquiry_control", args=[asset.pk])
    too_much = f"{page.headroom + 1:.2f}"
    html = browser.post(control, {"action": "freeze", "amount": too_much}, follow=True).content.decode()
    assert (
        soak_controls.refusal(html, asset.pk)
        == f"冻结金额超过剩余可控制额度{page.headroom:.2f}元，不得超标的冻结"
    )
    assert soak_controls.pending_request(html, asset.pk) is None
    html = browser.post(control, {"action": "freeze", "amount": "100.00"}, follow=True).content.decode()
    req = InquiryRequest.objects.get(asset=asset, action="freeze")
    assert soak_controls.refusal(html, asset.pk) is None
    assert soak_controls.pending_request(html, asset.pk) == (req.pk, Decimal("100.00"))
    assert asset.pk not in soak_controls.read_page(html).offers  # no form while the order is in flight
    # A second post (a retry whose first attempt committed) is refused, nothing changes, and the page
    # shows the order in flight where the form was: the leg takes it as its own when it had retried.
    html = browser.post(control, {"action": "freeze", "amount": "100.00"}, follow=True).content.decode()
    assert InquiryRequest.objects.filter(asset=asset).count() == 1
    assert soak_controls.refusal(html, asset.pk) is None
    assert soak_controls.pending_request(html, asset.pk) == (req.pk, Decimal("100.00"))
