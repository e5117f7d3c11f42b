"""Triage services: re-evaluation after each inquiry round, two empty rounds, flags, and a decision that
moves the case to the track's team and starts the track's term (frozen time)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.inquiry.conftest import open_case
from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase, Node
from zhixing.core.audit import AuditRecord
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.models import Team
from zhixing.inquiry import services
from zhixing.inquiry.events import round_completed
from zhixing.inquiry.models import CaseTriage, InquiryRequest, TriageFlag
from zhixing.inquiry.services import feedback, jobs
from zhixing.inquiry.services.triage import on_round_completed

pytestmark = pytest.mark.django_db
S = InquiryRequest.Status
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 20, 10, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def teams(people: dict[str, Any]) -> dict[str, Team]:
    th = people["judge"].court
    out = {
        kind: Team.objects.create(court=th, name=label, kind=kind)
        for kind, label in (
            ("fast", "简案快执团队"),
            ("complex", "繁案精办团队"),
            ("dormant", "终本管理团队"),
        )
    }
    people["judge2"].team = out["fast"]
    people["judge2"].save(update_fields=["team"])
    return out


def served(people: dict[str, Any], case: EnforcementCase) -> EnforcementCase:
    """执行通知书 sent: the seed triages after inquiry and service."""
    node = case.nodes.get(node_type__code="notice")
    case_services.complete_node(
        people["judge"], node, document_ref="（2026）粤0106执1号通知", completed_on=date(2026, 3, 6)
    )
    return case


def answer(
    case: EnforcementCase, assets: list[dict[str, Any]] | None = None, only: int | None = None
) -> None:
    """The partners answer the case's open queries (all, or only the first `only`)."""
    rows = list(InquiryRequest.objects.filter(case=case, action="query", status=S.PENDING).order_by("id"))
    rows = rows[:only] if only else rows
    InquiryRequest.objects.filter(pk__in=[r.pk for r in rows]).update(status=S.SENDING)
    feedback.apply_answers(
        jobs.load([r.pk for r in rows]),
        [{"key": r.idempotency_key, "status": "done", "result": {"assets": assets or []}} for r in rows],
    )


def round_(people: dict[str, Any], case: EnforcementCase, assets: list[dict[str, Any]] | None = None) -> None:
    services.start_inquiry(people["judge"], case, ["deposit"])
    answer(case, assets)


def triage(case: EnforcementCase) -> CaseTriage:
    return CaseTriage.objects.get(case=case)


def actions(case: EnforcementCase) -> list[str]:
    return list(AuditRecord.objects.filter(case_id=case.pk).order_by("id").values_list("action", flat=True))


ACCOUNT = {"kind": "account", "ref": "6222001", "value": "150000.00", "description": "活期"}


# -- re-evaluation after each round ----------------------------------------------------------------------
def test_two_empty_rounds_before_the_no_property_track(people: dict[str, Any], quiet: None) -> None:
    case = served(people, open_case(people))
    round_(people, case)
    t = triage(case)  # evaluated by the round event, no sweep
    assert (t.status, t.proposed, t.rounds) == ("waiting", "", 1)
    assert t.waiting == "已完成1轮网络查控，未发现可供执行的财产；经2轮查询无果后建议转终本案件管理"
    round_(people, case)
    t.refresh_from_db()
    assert (t.status, t.proposed, t.rounds) == ("proposed", "dormant", 2)
    assert [r["code"] for r in t.reasons] == ["no_assets"]
    assert t.reasons[0]["source"].startswith("种子文献004")
    assert actions(case).count("inquiry.triage.evaluated") == 2


def test_the_count_of_empty_rounds_is_configured(people: dict[str, Any], settings: Any) -> None:
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False, "triage_empty_rounds": 1}
    case = served(people, open_case(people))
    round_(people, case)
    assert triage(case).proposed == "dormant"


def test_a_round_completes_only_with_its_last_answer(people: dict[str, Any], quiet: None) -> None:
    case = served(people, open_case(people))
    services.start_inquiry(people["judge"], case, ["deposit", "real_estate"])
    answer(case, only=1)
    assert not CaseTriage.objects.filter(case=case).exists()
    answer(case)
    assert triage(case).rounds == 1


def test_a_round_failed_for_good_is_announced_but_not_answered(people: dict[str, Any], settings: Any) -> None:
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False, "max_attempts": 1}
    case = served(people, open_case(people))
    services.start_inquiry(people["judge"], case, ["deposit"])
    req = InquiryRequest.objects.get(case=case)
    InquiryRequest.objects.filter(pk=req.pk).update(status=S.SENDING, attempts=1)
    feedback.retry_later(jobs.load([req.pk]), "timeout")
    t = triage(case)
    assert (t.status, t.rounds) == ("waiting", 0)
    assert t.waiting.startswith("首轮网络查控尚未完成")


def test_money_found_proposes_the_simple_track(people: dict[str, Any], quiet: None) -> None:
    case = served(people, open_case(people))
    round_(people, case, [ACCOUNT])
    t = triage(case)
    assert (t.status, t.proposed) == ("proposed", "simple")
    assert [r["code"] for r in t.reasons] == ["funds_cover"]  # 100,000 + delay interest: not small


def test_no_proposal_before_the_notice_is_sent(people: dict[str, Any], quiet: None) -> None:
    case = open_case(people)
    round_(people, case, [ACCOUNT])
    assert triage(case).waiting == "执行通知书尚未发出（繁简分流在查控、送达完成后进行）"
    served(people, case)
    assert services.triage_sweep() == 1  # the sweep re-evaluates waiting cases
    assert triage(case).proposed == "simple"


def test_the_sweep_catches_a_missed_event(people: dict[str, Any], quiet: None) -> None:
    case = served(people, open_case(people))
    round_completed.disconnect(dispatch_uid="inquiry.triage.round_completed")
    try:
        round_(people, case, [ACCOUNT])
    finally:
        round_completed.connect(on_round_completed, dispatch_uid="inquiry.triage.round_completed")
    assert not CaseTriage.objects.filter(case=case).exists()
    assert services.triage_sweep() == 1
    assert triage(case).proposed == "simple"
    assert services.triage_sweep() == 0  # nothing newer than the evaluation


def test_act_performance_case_needs_no_inquiry(people: dict[str, Any], quiet: None) -> None:
    case = served(people, open_case(people))
    EnforcementCase.objects.filter(pk=case.pk).update(obligation="vacate", principal=0)
    assert services.triage_sweep() == 1
    t = triage(case)
    assert (t.proposed, [r["code"] for r in t.reasons]) == ("simple", ["act"])


# -- flags ---------------------------------------------------------------------------------------------------
def test_flags_re_evaluate_with_who_and_when(people: dict[str, Any], quiet: None) -> None:
    case = served(people, open_case(people))
    round_(people, case, [ACCOUNT])
    with pytest.raises(ServiceError, match="依据"):
        services.set_flag(people["judge"], case, "major_impact", " ")
    f = services.set_flag(people["judge"], case, "major_impact", "涉及辖区重点企业")
    assert (f.set_by, f.set_by_court, f.set_at) == (people["judge"], people["judge"].court, NOW)
    t = triage(case)
    assert (t.proposed, [r["code"] for r in t.reasons]) == ("complex", ["major_impact"])
    assert [r["code"] for r in t.also] == ["funds_cover"]
    with pytest.raises(Conflict, match="已标注"):
        services.set_flag(people["director"], case, "major_impact", "again")
    with pytest.raises(ServiceError, match="理由"):
        services.clear_flag(people["judge"], case, "major_impact", "")
    services.clear_flag(people["judge"], case, "major_impact", "影响已消除")
    assert triage(case).proposed == "simple"
    cleared = TriageFlag.objects.get(case=case)
    assert (cleared.cleared_by, cleared.clear_reason) == (people["judge"], "影响已消除")
    assert "inquiry.triage.flag_set" in actions(case) and "inquiry.triage.flag_cleared" in actions(case)


def test_only_a_higher_court_designates(people: dict[str, Any], quiet: None) -> None:
    case = served(people, open_case(people))
    round_(people, case, [ACCOUNT])
    for who in ("judge", "director", "yx_director", "clerk"):
        with pytest.raises(NotPermitted):
            services.set_flag(people[who], case, "designated", "（2026）粤01执监1号")
    with pytest.raises(NotPermitted):  # a higher court records no local facts
        services.set_flag(people["gz_director"], case, "settlement", "和解")
    services.set_flag(people["gd_president"], case, "designated", "（2026）粤执监1号")
    t = triage(case)
    assert (t.proposed, t.reasons[0]["code"], t.reasons[0]["recorded"]) == ("complex", "designated", True)


# -- the decision acts -------------------------------------------------------------------------------------
def test_accepting_moves_to_the_fast_team_and_starts_the_term(
    people: dict[str, Any], teams: dict[str, Team], quiet: None
) -> None:
    case = served(people, open_case(people))
    round_(people, case, [ACCOUNT])
    with pytest.raises(NotPermitted):
        services.decide(people["judge"], case, "simple")
    t = services.decide(people["director"], case, "simple")
    case.refresh_from_db()
    assert (t.status, t.track, t.decided_by, t.decided_at) == ("accepted", "simple", people["director"], NOW)
    assert (case.team, case.handler) == (teams["fast"], people["judge2"])
    term = case.nodes.get(node_type__code="track_simple")
    # seed 004: 3 months from the decision, on the working-day calendar (2026-06-20 is a Saturday).
    assert (term.started_on, term.due_on, term.status) == (date(2026, 3, 20), date(2026, 6, 22), "pending")
    assert case.next_due_on is not None and case.next_due_on <= term.due_on
    assert t.effects == {
        "proposal": "simple",
        "team": "简案快执团队",
        "team_from": "",
        "handler": str(people["judge2"]),
        "term": "简案快执内部期限",
        "term_due": "2026-06-22",
    }
    assert {"case.assign", "case.track_term", "inquiry.triage.decided"} <= set(actions(case))
    # The term is warned like every node: yellow when near, red when missed.
    with time_machine.travel(datetime(2026, 6, 23, 9, tzinfo=TZ), tick=False):
        case_services.scan_due_nodes()
    assert term.alerts.filter(level=Node.Alerted.RED).exists()


def test_closing_completes_the_track_term(
    people: dict[str, Any], teams: dict[str, Team], quiet: None
) -> None:
    case = served(people, open_case(people))
    round_(people, case, [ACCOUNT])
    services.decide(people["director"], case, "simple")
    case_services.close_case(
        people["judge2"],
        case,
        mode="performed",
        closed_on=date(2026, 3, 20),
        details={
            "document_ref": "（2026）粤0106执1号结",
            "performed_amount": "100000.00",
            "how": "compulsory",
        },
    )
    term = case.nodes.get(node_type__code="track_simple")
    assert (term.status, term.completed_on) == ("done", date(2026, 3, 20))


def test_a_different_track_needs_a_reason_and_cancels_the_other_term(
    people: dict[str, Any], teams: dict[str, Team], quiet: None
) -> None:
    case = served(people, open_case(people))
    round_(people, case, [ACCOUNT])
    services.decide(people["director"], case, "simple")
    with pytest.raises(ServiceError, match="理由") as err:
        services.decide(people["director"], case, "complex", " ")
    assert err.value.field == "reason"
    t = services.decide(people["director"], case, "complex", "申请人反映被执行人转移财产")
    case.refresh_from_db()
    assert (t.status, t.track, t.override_reason) == ("overridden", "complex", "申请人反映被执行人转移财产")
    assert case.team == teams["complex"]
    assert case.handler == people["judge2"]  # the complex team has no judge: the handler stays
    assert case.nodes.get(node_type__code="track_simple").status == "cancelled"
    assert t.effects["term"] == ""


def test_no_team_of_the_kind_is_a_clear_error(people: dict[str, Any], quiet: None) -> None:
    case = served(people, open_case(people))
    round_(people, case, [ACCOUNT])
    with pytest.raises(ServiceError, match="本院未设立简案快执团队") as err:
        services.decide(people["director"], case, "simple")
    assert err.value.field == "track"
    assert (
        triage(case).status == "proposed" and case.nodes.filter(node_type__code="track_simple").count() == 0
    )


def test_no_decision_without_a_proposal(people: dict[str, Any], teams: dict[str, Team], quiet: None) -> None:
    case = served(people, open_case(people))
    with pytest.raises(ServiceError, match="暂无分流建议"):
        services.decide(people["director"], case, "simple")
    round_(people, case)
    with pytest.raises(ServiceError, match="已完成1轮网络查控"):
        services.decide(people["director"], case, "dormant")


def test_a_new_proposal_after_the_decision_returns_to_the_queue(
    people: dict[str, Any], teams: dict[str, Team], quiet: None
) -> None:
    case = served(people, open_case(people))
    round_(people, case, [ACCOUNT])
    services.decide(people["director"], case, "simple")
    round_(people, case, [ACCOUNT])  # the same finding again: nothing new to decide
    assert triage(case).status == "accepted"
    services.set_flag(people["gz_director"], case, "designated", "（2026）粤01执监2号")
    t = triage(case)
    assert (t.status, t.proposed, t.track) == ("proposed", "complex", "simple")
    services.decide(people["director"], case, "complex")
    case.refresh_from_db()
    assert case.team == teams["complex"] and triage(case).status == "accepted"


def test_every_kind_of_round_announces_itself(people: dict[str, Any], quiet: None) -> None:
    """Centralised batches re-evaluate each case; a 终本 case's round is announced, but a case that is
    not open gets no proposal (its decision could not move it)."""
    heard: list[tuple[int, int]] = []

    def collect(sender: Any, rounds: list[tuple[int, int]], **_: Any) -> None:
        heard.extend(rounds)

    round_completed.connect(collect, dispatch_uid="test.collect")
    try:
        a, b = served(people, open_case(people)), served(people, open_case(people))
        result = services.centralised_inquiry(people["judge"], [a, b], ["deposit"])
        answer(a)
        answer(b, [ACCOUNT])
        assert sorted(heard) == [(a.pk, result.batch.pk), (b.pk, result.batch.pk)]
        assert (triage(a).status, triage(b).proposed) == ("waiting", "simple")
        dormant = open_case(people)
        EnforcementCase.objects.filter(pk=dormant.pk).update(status="dormant", closing_mode="dormant")
        dormant.refresh_from_db()
        round_(people, dormant)
        assert heard[-1][0] == dormant.pk
        assert not CaseTriage.objects.filter(case=dormant).exists()
    finally:
        round_completed.disconnect(dispatch_uid="test.collect")
