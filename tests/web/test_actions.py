"""Every case action through its form: success redirects with a message; an error re-renders, no write."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.web.conftest import TODAY, node, request_extension, suspend
from zhixing.cases.models import CaseStatus, EnforcementCase, Extension, Node, Suspension
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def html(response: Any) -> str:
    return response.content.decode()


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def audit_count(action: str) -> int:
    return AuditRecord.objects.filter(action=action).count()


def action_error(page: str) -> str:
    return page.split(' id="action-error"')[1].split("</div>")[0]


def refreshed(case: EnforcementCase) -> EnforcementCase:
    return EnforcementCase.objects.get(pk=case.pk)


# -- 分案 -------------------------------------------------------------------------------------------


def test_assign(people, case, login):
    judge = people["judge"]
    response = login(people["director"]).post(
        reverse("case_assign", args=[case.pk]), {"handler": judge.pk, "team": "", "assigned_on": "2026-03-10"}
    )
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert messages_of(response) == [f"已分案，承办人：{judge.full_name}"]
    case = refreshed(case)
    assert (case.handler_id, case.status, case.assigned_on) == (judge.pk, CaseStatus.IN_PROGRESS, TODAY)
    assert node(case, "assign_handler").status == Node.Status.DONE


def test_assign_errors_change_nothing(people, case, login):
    client = login(people["director"])
    url = reverse("case_assign", args=[case.pk])
    response = client.post(url, {"handler": people["judge"].pk, "assigned_on": "2026-03-01"})
    assert response.status_code == 200
    page = html(response)
    assert "分案日期须在立案日期与今天之间" in action_error(page)
    assert 'details class="action" id="action-assign" open' in page
    assert 'name="assigned_on" value="2026-03-01"' in page  # the user's input is kept
    response = client.post(url, {"handler": people["yx_judge"].pk, "assigned_on": "2026-03-10"})
    assert "选择一个有效的选项" in action_error(html(response))
    response = client.post(url, {"handler": "", "assigned_on": "2026-03-10"})
    assert "请选择承办人" in action_error(html(response))
    assert refreshed(case).handler_id is None
    assert audit_count("case.assign") == 0


# -- 办理节点 ---------------------------------------------------------------------------------------


def test_complete_node(people, assigned, login):
    target = node(assigned, "network_inquiry")
    response = login(people["judge"]).post(
        reverse("node_complete", args=[assigned.pk, target.pk]),
        {"document_ref": "（2026）粤0106执1号网络查控记录", "completed_on": "2026-03-10"},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["已办理节点“发起网络查控”"]
    target.refresh_from_db()
    assert (target.status, target.completed_on, target.completed_by_id, target.document_ref) == (
        Node.Status.DONE,
        TODAY,
        people["judge"].pk,
        "（2026）粤0106执1号网络查控记录",
    )
    # Next: 告知提供财产线索 (assigned 03-05 + 3 = Sunday 03-08 → 03-09, 2006 期限规定 Art 5; issue 15).
    assert refreshed(assigned).next_due_on == date(2026, 3, 9)


def test_complete_node_errors_change_nothing(people, assigned, login):
    client = login(people["clerk"])
    target = node(assigned, "network_inquiry")
    url = reverse("node_complete", args=[assigned.pk, target.pk])
    page = html(client.post(url, {"document_ref": "  ", "completed_on": "2026-03-10"}))
    assert "请填写完成节点所依据的文书编号" in action_error(page)
    row = page.split('data-node="network_inquiry"')[1].split("</tr>")[0]
    assert "请填写完成节点所依据的文书编号" in row  # on the row's own form too
    page = html(client.post(url, {"document_ref": "查控记录", "completed_on": "2026-03-03"}))
    assert "完成日期须在节点起算日与今天之间" in action_error(page)
    assert 'value="查控记录"' in page
    term = node(assigned, "term")
    page = html(client.post(reverse("node_complete", args=[assigned.pk, term.pk]), {"document_ref": "x"}))
    assert "节点“执行期限”由系统在结案时完成自动完成" in action_error(page)
    target.refresh_from_db()
    assert target.status == Node.Status.PENDING and audit_count("node.complete") == 0
    # A node of another case is not found through this case.
    other = node(assigned, "notice")
    assert client.post(reverse("node_complete", args=[assigned.pk + 1, other.pk]), {}).status_code == 404


def test_complete_node_refused_while_suspended(people, assigned, login):
    suspend(assigned, people["judge"])
    target = node(assigned, "notice")
    page = html(
        login(people["judge"]).post(
            reverse("node_complete", args=[assigned.pk, target.pk]), {"document_ref": "执行通知书"}
        )
    )
    assert "案件中止执行期间不能办理节点，请先恢复执行" in action_error(page)
    target.refresh_from_db()
    assert target.status == Node.Status.PENDING


# -- 添加核查财产线索节点 ---------------------------------------------------------------------------


def test_add_verify_lead_node(people, assigned, login):
    response = login(people["assistant"]).post(
        reverse("node_add", args=[assigned.pk]),
        {
            "node_type": "verify_lead",
            "started_on": "2026-03-10",
            "note": "申请人提供：被执行人名下车辆粤A12345",
        },
    )
    assert response.status_code == 302
    added = node(assigned, "verify_lead")
    assert (added.started_on, added.due_on, added.note) == (
        TODAY,
        date(2026, 3, 17),
        "申请人提供：被执行人名下车辆粤A12345",
    )
    assert messages_of(response) == ["已添加节点“核查财产线索”"]


def test_add_node_errors_change_nothing(people, assigned, login):
    client = login(people["judge"])
    url = reverse("node_add", args=[assigned.pk])
    page = html(client.post(url, {"node_type": "verify_lead", "started_on": "2026-03-01"}))
    assert "起算日须在立案日期与今天之间" in action_error(page)
    page = html(client.post(url, {"node_type": "notice", "started_on": "2026-03-10"}))
    assert "选择一个有效的选项" in action_error(page)
    assert not Node.objects.filter(node_type__code="verify_lead").exists()


# -- 中止执行 / 恢复执行 ----------------------------------------------------------------------------


def test_suspend_and_resume_execution(people, assigned, login):
    client = login(people["judge"])
    response = client.post(
        reverse("case_suspend", args=[assigned.pk]),
        {"ground": "objection", "start": "2026-03-09", "document_ref": "（2026）粤0106执1号之一"},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["已中止执行（自2026-03-09起），执行期限停止计算"]
    case = refreshed(assigned)
    assert case.status == CaseStatus.SUSPENDED and case.term_due is None
    response = client.post(
        reverse("case_resume_execution", args=[assigned.pk]),
        {"on": "2026-03-10", "document_ref": "恢复执行通知书"},
    )
    assert response.status_code == 302
    case = refreshed(assigned)
    # One day paused pushes 2026-09-04 to Saturday 09-05, which rolls to Monday 09-07.
    assert case.status == CaseStatus.IN_PROGRESS and case.term_due == date(2026, 9, 7)
    assert Suspension.objects.get().end == TODAY


def test_suspend_errors_change_nothing(people, assigned, login):
    client = login(people["director"])
    url = reverse("case_suspend", args=[assigned.pk])
    page = html(client.post(url, {"ground": "", "start": "2026-03-10", "document_ref": "x"}))
    assert "请选择法定的中止事由" in action_error(page)
    page = html(client.post(url, {"ground": "other", "start": "2026-03-11", "document_ref": "x"}))
    assert "中止日期须在立案日期（及上次恢复日期）与今天之间" in action_error(page)
    page = html(client.post(url, {"ground": "other", "start": "", "document_ref": "x"}))
    assert "请填写中止日期" in action_error(page)
    page = html(client.post(url, {"ground": "other", "start": "2026-03-10", "document_ref": ""}))
    assert "请填写中止执行裁定书文号" in action_error(page)
    assert refreshed(assigned).status == CaseStatus.IN_PROGRESS and not Suspension.objects.exists()


def test_resume_execution_errors_change_nothing(people, assigned, login):
    suspend(assigned, people["judge"])
    page = html(
        login(people["judge"]).post(
            reverse("case_resume_execution", args=[assigned.pk]),
            {"on": "2026-03-08", "document_ref": "恢复执行通知书"},
        )
    )
    assert "恢复日期须在中止日期与今天之间" in action_error(page)
    assert refreshed(assigned).status == CaseStatus.SUSPENDED


# -- 延长执行期限 -----------------------------------------------------------------------------------


def test_request_approve_and_reject_extension(people, assigned, login):
    response = login(people["judge"]).post(
        reverse("extension_request", args=[assigned.pk]), {"reason": "被执行人房产正在评估拍卖"}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["已提交延长执行期限申请，待院长审批"]
    ext = Extension.objects.get()
    president = login(people["president"])
    response = president.post(reverse("extension_approve", args=[assigned.pk, ext.pk]), {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert messages_of(response) == ["（2026）粤0106执1号：已批准延长执行期限3个月"]
    case = refreshed(assigned)
    assert (case.term_due, case.extension_months) == (date(2026, 12, 4), 3)
    page = html(president.get(f"/cases/{case.pk}/"))
    assert '<dd id="extension-months">3个月</dd>' in page
    second = request_extension(case, people["judge"])
    response = president.post(
        reverse("extension_reject", args=[assigned.pk, second.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/cases/{assigned.pk}/"  # an off-site `next` is ignored
    second.refresh_from_db()
    assert second.status == Extension.Status.REJECTED
    assert refreshed(assigned).term_due == date(2026, 12, 4)


def test_extension_errors_change_nothing(people, assigned, login):
    client = login(people["judge"])
    url = reverse("extension_request", args=[assigned.pk])
    assert "请填写延长理由" in action_error(html(client.post(url, {"reason": ""})))
    EnforcementCase.objects.filter(pk=assigned.pk).update(term_due=date(2026, 3, 13))
    page = html(client.post(url, {"reason": "财产处置"}))
    assert "延长申请须在执行期限届满5日前提出（届满日2026-03-13）" in action_error(page)
    assert not Extension.objects.exists()


def test_deciding_twice_is_an_error(people, assigned, login):
    ext = request_extension(assigned, people["judge"])
    president = login(people["president"])
    president.post(reverse("extension_approve", args=[assigned.pk, ext.pk]))
    response = president.post(reverse("extension_reject", args=[assigned.pk, ext.pk]))
    assert response.status_code == 200
    assert "该延长申请已审批" in action_error(html(response))
    ext.refresh_from_db()
    assert ext.status == Extension.Status.APPROVED


# -- 结案 -------------------------------------------------------------------------------------------


def test_close_case(people, assigned, login):
    response = login(people["judge"]).post(
        reverse("case_close", args=[assigned.pk]),
        {
            "mode": "performed",
            "closed_on": "2026-03-10",
            "performed__document_ref": "（2026）粤0106执1号结案通知书",
            "performed__performed_amount": "100000",
            "performed__how": "voluntary",
            # Other modes' fields are ignored.
            "withdrawn__document_ref": "不应保存",
        },
    )
    assert response.status_code == 302
    assert messages_of(response) == ["已结案：执行完毕"]
    case = refreshed(assigned)
    assert (case.status, case.closing_mode, case.closed_on) == (CaseStatus.CLOSED, "performed", TODAY)
    assert case.closing_details == {
        "document_ref": "（2026）粤0106执1号结案通知书",
        "performed_amount": "100000.00",
        "how": "voluntary",
    }
    assert node(case, "term").status == Node.Status.DONE


def test_close_errors_land_on_the_mode_fields(people, assigned, login):
    client = login(people["judge"])
    url = reverse("case_close", args=[assigned.pk])
    page = html(
        client.post(url, {"mode": "performed", "closed_on": "2026-03-10", "performed__how": "voluntary"})
    )
    assert "请填写“结案通知书文号”" in action_error(page)
    field = page.split('name="performed__document_ref"')[1].split("</div>", 2)
    assert "请填写“结案通知书文号”" in field[0] + field[1]
    assert '<option value="voluntary" selected>' in page
    page = html(client.post(url, {"mode": "", "closed_on": "2026-03-10"}))
    assert "结案方式无效" in action_error(page)
    page = html(
        client.post(
            url,
            {
                "mode": "dormant",
                "closed_on": "2026-03-10",
                "dormant__document_ref": "终本裁定",
                "dormant__interview_on": "2026-03-09",
                "dormant__approval": "applicant_confirmed",
                "dormant__investigation_summary": "未发现财产",
            },
        )
    )
    assert "终结本次执行程序须自立案之日起超过3个月（终本规定第1条）" in action_error(page)
    assert refreshed(assigned).status == CaseStatus.IN_PROGRESS and audit_count("case.close") == 0


# -- 恢复执行（执恢立案） ----------------------------------------------------------------------------


def _closed(case: EnforcementCase, people: dict[str, Any]) -> EnforcementCase:
    from zhixing.cases import services

    return services.close_case(
        people["judge"],
        case,
        mode="withdrawn",
        closed_on=TODAY,
        details={"document_ref": "销案通知", "ground": "other"},
    )


def test_resume_case_files_a_linked_case_and_opens_it(people, assigned, login):
    closed = _closed(assigned, people)
    client = login(people["judge"])
    response = client.post(
        reverse("case_resume", args=[closed.pk]),
        {"applied_on": "2026-03-10", "reason": "申请执行人发现被执行人新的财产"},
    )
    resumed = EnforcementCase.objects.get(origin=closed)
    assert response.status_code == 302 and response["Location"] == f"/cases/{resumed.pk}/"
    assert messages_of(response) == ["已恢复执行立案，新案号：（2026）粤0106执恢1号"]
    page = html(client.get(response["Location"]))
    assert '<h1 id="case-number" data-testid="case-number">（2026）粤0106执恢1号</h1>' in page
    assert f'id="origin-link">{closed.number}</a>' in page


def test_resume_case_errors_change_nothing(people, assigned, login):
    closed = _closed(assigned, people)
    client = login(people["director"])
    url = reverse("case_resume", args=[closed.pk])
    assert "请填写恢复执行的事由" in action_error(
        html(client.post(url, {"applied_on": "2026-03-10", "reason": ""}))
    )
    page = html(client.post(url, {"applied_on": "2026-03-09", "reason": "新财产"}))
    assert "申请恢复执行日期须在原案结案日期与今天之间" in action_error(page)
    assert EnforcementCase.objects.count() == 1


def test_resume_an_open_case_is_a_conflict(people, assigned, login):
    page = html(
        login(people["judge"]).post(
            reverse("case_resume", args=[assigned.pk]), {"applied_on": "2026-03-10", "reason": "新财产"}
        )
    )
    assert "只有已结案或终结本次执行的案件可以恢复执行" in action_error(page)
    assert EnforcementCase.objects.count() == 1


# -- methods ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "case_assign",
        "node_add",
        "case_suspend",
        "case_resume_execution",
        "extension_request",
        "case_close",
        "case_resume",
    ],
)
def test_actions_are_post_only(people, case, login, name):
    assert login(people["director"]).get(reverse(name, args=[case.pk])).status_code == 405
