"""Triage pages and API: the case's proposal, reasons, decision and effects; flags; the court's queue
(court scoping, query budget); refusals change nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.inquiry.conftest import open_case
from tests.inquiry.test_triage_services import ACCOUNT, round_, served
from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Team
from zhixing.inquiry.models import CaseTriage

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(datetime(2026, 3, 20, 10, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def teams(people: dict[str, Any]) -> dict[str, Team]:
    th = people["judge"].court
    out = {
        k: Team.objects.create(court=th, name=n, kind=k)
        for k, n in (("fast", "简案快执团队"), ("complex", "繁案精办团队"))
    }
    people["judge2"].team = out["fast"]
    people["judge2"].save(update_fields=["team"])
    return out


def login(people: dict[str, Any], who: str) -> Client:
    c = Client()
    c.force_login(people[who])
    return c


def proposed_case(people: dict[str, Any]) -> EnforcementCase:
    case = served(people, open_case(people))
    round_(people, case, [ACCOUNT])
    return case


def text(resp: Any) -> str:
    return str(resp.content.decode())


def test_case_page_shows_proposal_reasons_and_sources(people: dict[str, Any], quiet: None) -> None:
    case = proposed_case(people)
    page = text(login(people, "director").get(reverse("triage_case", args=[case.pk])))
    assert 'id="triage-proposed">简案快执</b>' in page
    assert "查得资金足以清偿剩余执行标的，可冻结扣划后结案" in page
    assert (
        "依据：种子文献004（地方法院繁简分流做法，未经最高法规定核实）：标的不大、财产线索明确的案件" in page
    )
    assert 'id="triage-accept"' in page
    judge = text(login(people, "judge").get(reverse("triage_case", args=[case.pk])))
    assert 'id="triage-accept"' not in judge and 'id="triage-flag-form"' in judge
    inquiry_page = text(login(people, "judge").get(reverse("inquiry_case", args=[case.pk])))
    assert 'id="triage-status">待决定</b>' in inquiry_page and 'id="triage-link"' in inquiry_page
    detail = text(login(people, "judge").get(reverse("case_detail", args=[case.pk])))
    assert 'id="link-triage"' in detail and 'id="link-inquiry"' in detail


def test_case_page_links_only_the_inquiry_pages_the_role_may_open(
    people: dict[str, Any], quiet: None
) -> None:
    """The clerk and the president may not see a person's property: the case page offered them 网络查控
    and 繁简分流 anyway, and both answered 无权访问 (the demo walk)."""
    case = proposed_case(people)
    for who in ("clerk", "president"):
        c = login(people, who)
        assert c.get(reverse("inquiry_case", args=[case.pk])).status_code == 403
        detail = text(c.get(reverse("case_detail", args=[case.pk])))
        assert 'id="link-inquiry"' not in detail, who
        assert ('id="link-triage"' in detail) == (
            c.get(reverse("triage_case", args=[case.pk])).status_code == 200
        )
    director = text(login(people, "director").get(reverse("case_detail", args=[case.pk])))
    assert 'id="link-inquiry"' in director and 'id="link-triage"' in director


def test_one_click_accept_shows_the_effects(
    people: dict[str, Any], teams: dict[str, Team], quiet: None
) -> None:
    case = proposed_case(people)
    director = login(people, "director")
    resp = director.post(reverse("triage_decide", args=[case.pk]), {"track": "simple"})
    assert resp.status_code == 302
    page = text(director.get(resp["Location"]))
    assert "分流已确定为：简案快执，已移送简案快执团队" in page
    assert 'id="triage-track">简案快执</b>' in page
    assert "简案快执内部期限：2026-03-20 起算，届满日 <b>2026-06-22</b>" in page
    detail = text(director.get(reverse("case_detail", args=[case.pk])))
    assert "简案快执内部期限" in detail  # the term is a node of the case like the others


def test_override_without_reason_changes_nothing(
    people: dict[str, Any], teams: dict[str, Team], quiet: None
) -> None:
    case = proposed_case(people)
    director = login(people, "director")
    resp = director.post(
        reverse("triage_decide", args=[case.pk]), {"track": "complex", "reason": ""}, follow=True
    )
    assert "调整分流建议须填写理由" in text(resp)
    assert CaseTriage.objects.get(case=case).status == "proposed"
    case.refresh_from_db()
    assert case.team is None


def test_flags_through_the_page(people: dict[str, Any], quiet: None) -> None:
    case = proposed_case(people)
    judge = login(people, "judge")
    resp = judge.post(
        reverse("triage_flag", args=[case.pk]),
        {"kind": "disputed_law", "note": "案外人主张所有权"},
        follow=True,
    )
    page = text(resp)
    assert "已标注：案情疑难复杂、法律关系存在冲突，分流建议已重新评估" in page
    assert 'id="triage-proposed">繁案精办</b>' in page and "案外人主张所有权" in page
    resp = judge.post(
        reverse("triage_flag", args=[case.pk]),
        {"op": "clear", "kind": "disputed_law", "reason": ""},
        follow=True,
    )
    assert "请填写撤销标注的理由" in text(resp)
    gz = login(people, "gz_director").get(reverse("triage_case", args=[case.pk]))
    assert '<option value="designated">上级法院指定执行</option>' in text(gz)


def test_queue_is_court_scoped(people: dict[str, Any], quiet: None) -> None:
    case = proposed_case(people)
    own = text(login(people, "director").get(reverse("triage_queue")))
    assert f'id="queue-{case.pk}"' in own and f'data-testid="accept-{case.pk}"' in own
    higher = text(login(people, "gz_director").get(reverse("triage_queue")))
    assert f'id="queue-{case.pk}"' in higher and f'data-testid="accept-{case.pk}"' not in higher
    sibling = text(login(people, "yx_director").get(reverse("triage_queue")))
    assert f'id="queue-{case.pk}"' not in sibling and "没有待决定的分流建议" in sibling


def test_queue_keeps_a_query_budget(
    people: dict[str, Any], teams: dict[str, Team], quiet: None, django_assert_max_num_queries: Any
) -> None:
    for _ in range(6):
        proposed_case(people)
    director = login(people, "director")
    with django_assert_max_num_queries(12):
        resp = director.get(reverse("triage_queue"))
    assert text(resp).count('data-testid="accept-') == 6
    case = proposed_case(people)
    with django_assert_max_num_queries(25):
        assert director.get(reverse("triage_case", args=[case.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert len(director.get("/api/v1/inquiry/triage/queue").json()) == 7


# -- API -------------------------------------------------------------------------------------------------
def test_api_reads_decides_and_flags(people: dict[str, Any], teams: dict[str, Team], quiet: None) -> None:
    case = proposed_case(people)
    url = f"/api/v1/inquiry/cases/{case.pk}/triage"
    body = login(people, "judge").get(url).json()
    assert (body["status"], body["proposed"], body["rounds"]) == ("proposed", "simple", 1)
    assert body["reasons"][0]["code"] == "funds_cover" and body["reasons"][0]["source"].startswith(
        "种子文献004"
    )
    judge = login(people, "judge")
    resp = judge.post(
        f"{url}/flags",
        {"kind": "settlement", "note": "申请人称双方正在协商"},
        content_type="application/json",
    )
    assert resp.status_code == 201 and resp.json()["set_by"] == str(people["judge"])
    resp = judge.post(f"{url}/decision", {"track": "simple"}, content_type="application/json")
    assert resp.status_code == 403
    director = login(people, "director")
    resp = director.post(f"{url}/decision", {"track": "dormant"}, content_type="application/json")
    assert resp.status_code == 422 and resp.json()["field"] == "reason"
    resp = director.post(f"{url}/decision", {"track": "simple"}, content_type="application/json")
    out = resp.json()
    assert resp.status_code == 200
    assert (out["status"], out["track"], out["team"]) == ("accepted", "simple", "简案快执团队")
    assert out["term"] == {
        "name": "简案快执内部期限",
        "started_on": "2026-03-20",
        "due_on": "2026-06-22",
        "status": "pending",
    }
    assert [f["kind"] for f in out["flags"]] == ["settlement"]
    resp = judge.post(
        f"{url}/flags/clear", {"kind": "settlement", "reason": "协商破裂"}, content_type="application/json"
    )
    assert resp.status_code == 200 and resp.json()["clear_reason"] == "协商破裂"


def test_api_permissions(people: dict[str, Any], quiet: None) -> None:
    case = proposed_case(people)
    url = f"/api/v1/inquiry/cases/{case.pk}/triage"
    for who, status in [
        ("judge", 200),
        ("operator", 200),
        ("gz_director", 200),
        ("gd_president", 200),
        ("clerk", 403),
        ("finance", 403),
        ("yx_director", 404),
    ]:
        assert login(people, who).get(url).status_code == status, who
    assert Client().get(url).status_code == 401
    designate = {"kind": "designated", "note": "（2026）粤01执监3号"}
    for who, status in [("director", 403), ("yx_director", 404), ("gz_director", 201)]:
        resp = login(people, who).post(f"{url}/flags", designate, content_type="application/json")
        assert resp.status_code == status, (who, resp.content)
    for who, status in [("judge", 403), ("clerk", 403), ("director", 200), ("gz_director", 200)]:
        assert login(people, who).get("/api/v1/inquiry/triage/queue").status_code == status, who
    bad = login(people, "judge").post(
        f"{url}/flags", {"kind": "rich", "note": "x"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["field"] == "kind"
