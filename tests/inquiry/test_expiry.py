"""Controls over time, in frozen time: warnings and lapses with alerts, 轮候 taking effect, bulk renewal.

rules.md §6.1: SPC-CPL-Interp (2022) Art 485 (terms; renewal before expiry for one more term from the day
after the current expiry), 查封规定 Art 26 (a queued seizure takes effect when the prior one is lifted).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
import time_machine

from tests import factories
from tests.inquiry.conftest import open_case
from tests.inquiry.expiry_support import TZ, answer, fail, frozen, seized
from zhixing.cases import services as case_services
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.inquiry import queries_expiry, services
from zhixing.inquiry.models import Action, Asset, ControlAlert, InquiryRequest, Partner
from zhixing.inquiry.services import queue_notices

pytestmark = pytest.mark.django_db
L = ControlAlert.Level
S = InquiryRequest.Status


def at(y: int, m: int, d: int) -> Any:
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


def yx_case(people: dict[str, Any], courts: dict[str, Any]) -> Any:
    """An open case of the sibling court 粤0104, handled by its judge."""
    clerk = factories.staff(courts["yx"], "clerk", username="yx_clerk")
    case = factories.case(clerk)
    return case_services.assign_case(people["yx_director"], case, people["yx_judge"], on=date(2026, 3, 5))


def refresh(*assets: Asset) -> None:
    for a in assets:
        a.refresh_from_db()


# -- warnings and lapses --------------------------------------------------------------------------------


def test_warning_raised_once_per_expiry_and_again_after_renewal(people: dict[str, Any], quiet: None) -> None:
    with at(2026, 3, 10):
        a = frozen(open_case(people), "A1", date(2026, 3, 10))
    assert a.control_expires == date(2027, 3, 9)
    with at(2027, 2, 6):  # 31 days left: outside the 30-day window
        assert services.raise_warnings() == 0
    with at(2027, 2, 7):  # 30 days left
        assert services.raise_warnings() == 1
        assert services.raise_warnings() == 0  # a repeated sweep raises nothing twice
        alert = ControlAlert.objects.get()
        assert (alert.level, alert.expires_on, alert.handler, alert.court_id) == (
            L.WARN,
            date(2027, 3, 9),
            people["judge"],
            a.case.court_id,
        )
        assert queries_expiry.alerts_for(people["judge"]) == [alert]
        result = services.renew_controls(people["judge"], [a.pk])
        answer(InquiryRequest.objects.get(pk=result.rows[0].request_id), renewed=True)
        a.refresh_from_db()
        assert a.control_expires == date(2028, 3, 9)  # from the day after 2027-03-09, one more year
        assert queries_expiry.alerts_for(people["judge"]) == []  # renewed: the warning is settled
    with at(2028, 2, 8):  # 30 days before the new last day (2028 is a leap year)
        assert services.raise_warnings() == 1
        assert ControlAlert.objects.filter(level=L.WARN, expires_on=date(2028, 3, 9)).count() == 1


def test_warning_window_is_configurable(people: dict[str, Any], quiet: None, settings: Any) -> None:
    settings.ZHIXING_INQUIRY = {**settings.ZHIXING_INQUIRY, "warn_days": 10}
    with at(2026, 3, 10):
        frozen(open_case(people), "A1", date(2026, 3, 10))
    with at(2027, 2, 26):  # 11 days left
        assert services.raise_warnings() == 0
    with at(2027, 2, 27):
        assert services.raise_warnings() == 1


def test_lapse_raises_an_alert_to_handler_and_director(
    people: dict[str, Any], courts: dict[str, Any], quiet: None
) -> None:
    with at(2026, 3, 10):
        a = frozen(open_case(people), "A1", date(2026, 3, 10))
    with at(2027, 3, 9):  # the last day: still valid
        result = services.term_sweep()
        assert (result.warned, result.lapsed) == (1, 0)
    with at(2027, 3, 10):
        result = services.term_sweep()
        assert (result.warned, result.lapsed, result.effective) == (0, 1, 0)
        a.refresh_from_db()
        assert (a.state, a.control_expires) == (Asset.State.LAPSED, date(2027, 3, 9))
        lapsed = ControlAlert.objects.get(level=L.LAPSED)
        assert lapsed.expires_on == date(2027, 3, 9)
        assert AuditRecord.objects.filter(action="inquiry.control.lapsed").count() == 1
        for who in ("judge", "director", "operator", "gz_director"):
            assert lapsed in queries_expiry.alerts_for(people[who]), who
        for who in ("judge2", "assistant", "president", "gd_president", "yx_director", "clerk"):
            assert lapsed not in queries_expiry.alerts_for(people[who]), who
        assert services.term_sweep().lapsed == 0
    with at(2027, 4, 20):  # a lapse stays on the panels for `alert_days` (30)
        assert queries_expiry.alerts_for(people["judge"]) == []


def test_lapse_waits_for_a_renewal_in_flight(people: dict[str, Any], quiet: None) -> None:
    with at(2026, 3, 10):
        case = open_case(people)
        a = frozen(case, "A1", date(2026, 3, 10))
        b = frozen(case, "A2", date(2026, 3, 10))
    with at(2027, 3, 8):
        ra = services.request_control(people["judge"], a, "renew")
        rb = services.request_control(people["judge"], b, "renew")
    with at(2027, 3, 10):
        assert services.lapse_expired() == 0  # asked before expiry: the answers decide
        answer(ra, renewed=True)
        fail(rb, "no_such_asset")
        assert services.lapse_expired() == 1
        refresh(a, b)
        assert (a.state, a.control_expires) == (Asset.State.FROZEN, date(2028, 3, 9))
        assert b.state == Asset.State.LAPSED


# -- 轮候 ------------------------------------------------------------------------------------------------


def test_queued_seizure_takes_effect_when_the_prior_one_is_released(
    people: dict[str, Any], courts: dict[str, Any], quiet: None
) -> None:
    with at(2026, 4, 1):
        first = seized(open_case(people), date(2026, 4, 1))
    with at(2026, 5, 10):
        other_court = seized(yx_case(people, courts), date(2026, 5, 10), rank=2)
    with at(2026, 6, 1):
        third = seized(open_case(people), date(2026, 6, 1), rank=3)
    assert other_court.control_expires == date(2029, 5, 9)
    with at(2026, 9, 15):
        release = services.request_control(people["judge"], first, "release")
        answer(release, released="0")
        refresh(first, other_court, third)
        assert (first.state, first.seizure_rank) == (Asset.State.RELEASED, None)
        # The earliest registration takes effect that day; its term counts from then (3 years, real estate).
        assert (other_court.state, other_court.seizure_rank, other_court.effective_on) == (
            Asset.State.SEIZED,
            1,
            date(2026, 9, 15),
        )
        assert (other_court.control_start, other_court.control_expires) == (
            date(2026, 9, 15),
            date(2029, 9, 14),
        )
        assert other_court.registered_on == date(2026, 5, 10)
        assert (third.state, third.seizure_rank, third.effective_on) == (Asset.State.QUEUED, 2, None)
        alert = ControlAlert.objects.get(level=L.EFFECTIVE)
        assert (alert.asset_id, alert.handler, alert.expires_on) == (
            other_court.pk,
            people["yx_judge"],
            date(2029, 9, 14),
        )
        assert AuditRecord.objects.filter(
            action="inquiry.control.queue_effective", case_id=other_court.case_id
        ).exists()
        assert AuditRecord.objects.filter(
            action="inquiry.control.queue_advanced", case_id=third.case_id
        ).exists()


def test_queued_seizure_takes_effect_when_the_prior_one_lapses(people: dict[str, Any], quiet: None) -> None:
    with at(2026, 4, 1):
        first = seized(open_case(people), date(2026, 4, 1))
    with at(2026, 5, 10):
        queued = seized(open_case(people), date(2026, 5, 10), rank=2)
    with at(2029, 3, 31):
        assert services.term_sweep().lapsed == 0
    with at(2029, 4, 1):
        result = services.term_sweep()
        assert (result.lapsed, result.effective) == (1, 1)
        refresh(first, queued)
        assert first.state == Asset.State.LAPSED
        assert (queued.state, queued.seizure_rank, queued.effective_on) == (
            Asset.State.SEIZED,
            1,
            date(2029, 4, 1),
        )
        assert (queued.control_start, queued.control_expires) == (date(2029, 4, 1), date(2032, 3, 31))


def test_a_queued_seizure_past_its_own_term_lapses_instead(people: dict[str, Any], quiet: None) -> None:
    with at(2026, 4, 1):
        first = seized(open_case(people), date(2026, 4, 1))
        queued = seized(open_case(people), date(2026, 4, 1), rank=2)
        Asset.objects.filter(pk=queued.pk).update(control_expires=date(2029, 3, 20))
    with at(2029, 4, 1):
        result = services.term_sweep()
        assert (result.lapsed, result.effective) == (2, 0)
        refresh(first, queued)
        assert (first.state, queued.state, queued.effective_on) == (
            Asset.State.LAPSED,
            Asset.State.LAPSED,
            None,
        )


def test_behind_another_court_it_moves_up_then_the_partner_says_it_took_effect(
    people: dict[str, Any], quiet: None
) -> None:
    with at(2026, 4, 1):  # rank 1 is another court's seizure the platform does not know
        ours = seized(open_case(people), date(2026, 4, 1), rank=2)
        behind = seized(open_case(people), date(2026, 4, 2), rank=3)
        seize = InquiryRequest.objects.create(
            case=behind.case,
            court_id=behind.case.court_id,
            party_id=behind.party_id,
            partner=behind.partner,
            action=Action.SEIZE,
            asset=behind,
            status=S.DONE,
            idempotency_key="seize-behind",
            notice_number="n",
        )
    with at(2026, 7, 1):
        answer(services.request_control(people["judge"], ours, "release"), released="0")
        behind.refresh_from_db()
        assert (behind.state, behind.seizure_rank, behind.effective_on) == (Asset.State.QUEUED, 2, None)
        assert not ControlAlert.objects.exists()
    with at(2026, 8, 3):
        notice = {
            "kind": "queue_advanced",
            "request": seize.idempotency_key,
            "rank": 1,
            "effective_on": "2026-08-02",
        }
        assert services.apply_queue_notices(behind.partner, [notice]) == 1
        behind.refresh_from_db()
        assert (behind.state, behind.seizure_rank, behind.effective_on) == (
            Asset.State.SEIZED,
            1,
            date(2026, 8, 2),
        )
        assert behind.control_expires == date(2029, 8, 1)
        # Repeated and stale notices are no news; a date ahead of the platform's is today.
        assert services.apply_queue_notices(behind.partner, [notice]) == 0
        assert services.apply_queue_notices(behind.partner, [{**notice, "rank": 2}]) == 0
        with pytest.raises(queue_notices.NoticeError) as unknown:
            services.apply_queue_notices(behind.partner, [{**notice, "request": "never-sent"}])
        assert unknown.value.status == 404
        other = Partner.objects.get(code="MPS-VEHICLE")
        with pytest.raises(queue_notices.NoticeError):  # another institution cannot speak for this seizure
            services.apply_queue_notices(other, [notice])
        for bad in ([], [{"kind": "x"}], [{**notice, "rank": 0}], [{**notice, "rank": "1"}], "x"):
            with pytest.raises(queue_notices.NoticeError) as malformed:
                services.apply_queue_notices(behind.partner, bad)  # type: ignore[arg-type]
            assert malformed.value.status == 400


def test_future_effective_day_is_clamped_to_today(people: dict[str, Any], quiet: None) -> None:
    with at(2026, 4, 1):
        queued = seized(open_case(people), date(2026, 4, 1), rank=2)
        InquiryRequest.objects.create(
            case=queued.case,
            court_id=queued.case.court_id,
            party_id=queued.party_id,
            partner=queued.partner,
            action=Action.SEIZE,
            asset=queued,
            status=S.DONE,
            idempotency_key="k-q",
            notice_number="n",
        )
        notice = {"kind": "queue_advanced", "request": "k-q", "rank": 1, "effective_on": "2026-04-05"}
        assert services.apply_queue_notices(queued.partner, [notice]) == 1
        queued.refresh_from_db()
        assert queued.effective_on == date(2026, 4, 1)


def test_seize_answer_records_registration_and_effective_day(people: dict[str, Any], quiet: None) -> None:
    with at(2026, 4, 1):
        case = open_case(people)
        p = Partner.objects.get(code="REG-ESTATE")
        houses = [
            Asset.objects.create(
                case=case,
                party=case.parties.get(role="debtor"),
                partner=p,
                category=p.category,
                kind="house",
                ref=f"H{i}",
                value="100.00",
                divisible=False,
                found_at=datetime(2026, 4, 1, tzinfo=TZ),
            )
            for i in (1, 2)
        ]
        for house, rank in zip(houses, (1, 2), strict=True):
            req = services.request_control(people["judge"], house, "seize")
            req = services.approve(people["director"], req)
            answer(req, rank=rank, queued=rank > 1)
        refresh(*houses)
        assert [(h.state, h.seizure_rank, h.registered_on, h.effective_on) for h in houses] == [
            (Asset.State.SEIZED, 1, date(2026, 4, 1), date(2026, 4, 1)),
            (Asset.State.QUEUED, 2, date(2026, 4, 1), None),
        ]


# -- bulk renewal -----------------------------------------------------------------------------------------


def test_bulk_renewal_reports_bad_rows_and_changes_nothing_for_them(
    people: dict[str, Any], courts: dict[str, Any], quiet: None
) -> None:
    no_renew = Partner.objects.create(
        code="TEST-NORENEW",
        name="只能冻结的机构",
        category=Partner.objects.get(code="BANK-ICBC").category,
        actions=["query", "freeze"],
        shared_secret="x",
    )
    with at(2026, 3, 10):
        case = open_case(people)
        ok1 = frozen(case, "A1", date(2026, 3, 10))
        ok2 = seized(case, date(2026, 3, 20), rank=2)  # a queued seizure may be renewed to keep its place
        gone = frozen(case, "A3", date(2026, 3, 1))
        overdue = frozen(case, "A4", date(2026, 2, 20))  # past its last day, not yet swept
        busy = frozen(case, "A5", date(2026, 3, 10))
        services.request_control(people["judge"], busy, "release")
        offline = frozen(case, "A6", date(2026, 3, 10), partner="TEST-NORENEW")
        released = frozen(case, "A7", date(2026, 3, 10))
        Asset.objects.filter(pk=released.pk).update(state=Asset.State.RELEASED, control_expires=None)
        sibling = frozen(yx_case(people, courts), "B1", date(2026, 3, 10))
    assert no_renew.pk
    with at(2027, 3, 1):
        services.lapse_expired()
        gone.refresh_from_db()
        assert gone.state == Asset.State.LAPSED
        # Past its last day but not yet swept (the sweep runs at night): it is lapsed all the same.
        Asset.objects.filter(pk=overdue.pk).update(
            state=Asset.State.FROZEN, control_expires=date(2027, 2, 28)
        )
        before = set(InquiryRequest.objects.values_list("pk", flat=True))
        given = [
            ok1.pk,
            ok2.pk,
            gone.pk,
            overdue.pk,
            busy.pk,
            offline.pk,
            released.pk,
            sibling.pk,
            "abc",
            999999,
            ok1.pk,
        ]
        result = services.renew_controls(people["judge"], given, "申请执行人申请续行")
        got = [(r.asset, r.ok, r.message) for r in result.rows]
        assert got == [
            (str(ok1.pk), True, "续行请求已发送"),
            (str(ok2.pk), True, "续行请求已发送"),
            (str(gone.pk), False, "控制措施已于2027-02-28到期失效，不能续行，请重新查封冻结"),
            (str(overdue.pk), False, "控制措施已于2027-02-28到期失效，不能续行，请重新查封冻结"),
            (str(busy.pk), False, "该财产已有尚未办结的控制请求，请待其办结后再续行"),
            (str(offline.pk), False, "只能冻结的机构不支持网络续行，请线下办理"),
            (str(released.pk), False, "该财产没有生效的控制措施（已解除），无需续行"),
            (str(sibling.pk), False, "财产不存在或不在您的查看范围内"),
            ("abc", False, "财产不存在或不在您的查看范围内"),
            ("999999", False, "财产不存在或不在您的查看范围内"),
            (str(ok1.pk), False, "重复选择，已按一项办理"),
        ]
        assert result.renewed == 2 and len(result.refused) == 9
        assert result.rows[2].case_number == case.number and result.rows[7].case_number == ""  # no leak
        made = InquiryRequest.objects.exclude(pk__in=before)
        assert sorted(made.values_list("asset_id", "action", "status", "reason", "requested_by")) == sorted(
            [
                (ok1.pk, Action.RENEW, S.PENDING, "申请执行人申请续行", people["judge"].pk),
                (ok2.pk, Action.RENEW, S.PENDING, "申请执行人申请续行", people["judge"].pk),
            ]
        )
        bulk = AuditRecord.objects.get(action="inquiry.renew.bulk")
        assert bulk.after["renewed"] == [ok1.pk, ok2.pk]
        assert AuditRecord.objects.filter(action="inquiry.renew.request").count() == 2
        # The same click again: both now have a renewal in flight, nothing more is sent.
        again = services.renew_controls(people["judge"], [ok1.pk, ok2.pk])
        assert again.renewed == 0 and InquiryRequest.objects.exclude(pk__in=before).count() == 2
        for req in made:
            answer(req, renewed=True)
        refresh(ok1, ok2)
        assert ok1.control_expires == date(2028, 3, 9)
        assert ok2.control_expires == date(2032, 3, 19)  # real estate: 3 more years from 2029-03-20


def test_bulk_renewal_refusals(people: dict[str, Any], quiet: None, settings: Any) -> None:
    with at(2026, 3, 10):
        case = open_case(people)
        assets = [frozen(case, f"A{i}", date(2026, 3, 10)) for i in range(3)]
    with at(2027, 3, 1):
        ids = [a.pk for a in assets]
        for who in ("clerk", "assistant", "operator", "president", "gd_president"):
            with pytest.raises(NotPermitted):
                services.renew_controls(people[who], ids)
        # A higher court's director reads the case but does not renew it: that is the executing court's.
        result = services.renew_controls(people["gz_director"], ids[:1])
        assert result.rows[0].message == f"不是本院案件的控制措施，须由{case.court.name}续行"
        with pytest.raises(ServiceError) as empty:
            services.renew_controls(people["judge"], ["", " "])
        assert empty.value.field == "assets"
        settings.ZHIXING_INQUIRY = {**settings.ZHIXING_INQUIRY, "renew_bulk_max": 2}
        with pytest.raises(ServiceError) as many:
            services.renew_controls(people["judge"], ids)
        assert many.value.field == "assets"
        assert not InquiryRequest.objects.filter(action=Action.RENEW).exists()
        # The director renews any case of the court.
        assert services.renew_controls(people["director"], ids[:2]).renewed == 2
