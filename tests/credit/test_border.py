"""Issue 14 item 8: the exit restriction reaches the border-control authority (出入境边防检查) as its own
partner kind — its screening view, its notices over the signed protocol to the sandbox, its decision document.

The sandbox runs as its own process; time is real in this module (signatures carry timestamps).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from docx import Document

from zhixing.core.models import AuditRecord
from zhixing.credit import queries, rules, services
from zhixing.credit.models import BorderNotice, Partner
from zhixing.credit.services import border
from zhixing.credit.visibility import view_of
from zhixing.partners.sandbox.border import Post
from zhixing.partners.sandbox.holdings import partner_secret

from .conftest import ADULT_ID, debtor, debtor_case, listing_data, make_partner
from .media_sandbox import MediaBox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    """Real time here (overrides the package's frozen clock): signatures carry timestamps."""
    yield


def border_partner(code: str = "BORDER-GD") -> Partner:
    p, _ = services.create_partner(
        None, name=f"边检{code}", kind="border", code=code, shared_secret=partner_secret(code)
    )
    return p


def exit_banned(people: dict[str, Any]) -> Any:
    case = debtor_case(people["clerk"])
    [r] = services.restrict_exit(
        people["judge"], case, debtor(case), initiation="application", bound_persons=[]
    )
    return r


# -- who sees what ------------------------------------------------------------------------------------
def test_border_sees_exit_bans_only_and_railway_hotel_never() -> None:
    assert view_of("border").mask == rules.CODE_BITS["exit"]
    for kind in ("railway", "hotel", "market", "recruitment", "bank", "media"):
        assert view_of(kind).mask & rules.CODE_BITS["exit"] == 0, kind


def test_border_check_answers_the_exit_ban_and_nothing_else(client: Client, people: dict) -> None:
    _, key = make_partner("border", "边检总站")
    _, rail = make_partner("railway", "国铁集团")
    r = exit_banned(people)
    case = debtor_case(people["clerk"], name="李雷", id_number=ADULT_ID)  # the same person, listed too
    services.list_debtor(people["judge"], case, debtor(case), listing_data())
    queries.reset_index()

    def check(k: str) -> dict[str, Any]:
        resp = client.post(
            "/api/v1/screening/check",
            data=json.dumps({"id": ADULT_ID}),
            content_type="application/json",
            HTTP_X_PARTNER_KEY=k,
        )
        assert resp.status_code == 200, resp.content
        return resp.json()

    b = check(key)
    assert (b["restricted"], b["restrictions"]) == (True, ["exit"])
    assert [(m["measure"], m["case_number"]) for m in b["cases"]] == [("限制出境", r.case.number)]
    t = check(rail)
    assert t["restrictions"] == ["soft_sleeper", "hsr"] and r.case.number not in json.dumps(t)


# -- notices: queued with the decision, sent signed, answered once ------------------------------------------
def test_exit_restriction_queues_a_control_notice_for_each_border_partner(people: dict) -> None:
    a, b = border_partner("BORDER-GD"), border_partner("BORDER-NIA")
    make_partner("airline")  # not a border partner: no notice
    r = exit_banned(people)
    assert sorted((n.partner_id, n.action, n.status) for n in r.border_notices.all()) == sorted(
        [(a.pk, "control", "queued"), (b.pk, "control", "queued")]
    )
    services.lift_restriction(people["judge"], r, trigger="guarantee")
    assert sorted(r.border_notices.values_list("action", flat=True)) == ["control", "control", "lift", "lift"]


def test_consumption_restriction_tells_border_nothing(people: dict) -> None:
    border_partner()
    case = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], case, debtor(case), items=[1], bound_persons=[])
    assert not BorderNotice.objects.exists()


def test_control_and_lift_reach_the_sandbox(people: dict, box: MediaBox) -> None:
    border_partner()
    r = exit_banned(people)
    assert border.dispatch_border_due() == {"claimed": 1, "done": 1}
    n = r.border_notices.get()
    assert (n.status, n.attempts, n.reason) == ("done", 1, "")
    assert n.partner_ref.startswith("BORDER-GD-BK") and n.done_at is not None
    [held] = box.call("/_sandbox/border")["controls"]
    assert (held["id_number"], held["notice"], held["lifted"]) == (ADULT_ID, str(n.pk), False)
    assert AuditRecord.objects.filter(action="credit.border_delivery", object_id=str(n.pk)).exists()
    assert border.dispatch_border_due() == {}  # nothing due: nothing sent twice
    services.lift_restriction(people["judge"], r, trigger="performed")
    assert border.dispatch_border_due() == {"claimed": 1, "done": 1}
    [held] = box.call("/_sandbox/border")["controls"]
    assert held["lifted"] is True


def test_unavailable_border_is_retried_then_failed(people: dict, box: MediaBox, settings: Any) -> None:
    settings.ZHIXING_EXPOSURE = {"backoff_base": 0, "http_timeout": 3, "max_attempts": 2}
    box.configure("BORDER-GD", fail_first=5)
    border_partner()
    r = exit_banned(people)
    total = border.dispatch_border_due()
    n = r.border_notices.get()
    assert (n.status, n.attempts) == ("failed", 2)
    assert n.reason.startswith("已发送2次均未成功") and total["failed"] == 1


def test_wrong_secret_is_refused(people: dict, box: MediaBox, settings: Any) -> None:
    settings.ZHIXING_EXPOSURE = {"backoff_base": 0, "http_timeout": 3, "max_attempts": 1}
    p = border_partner()
    Partner.objects.filter(pk=p.pk).update(shared_secret="x" * 40)
    r = exit_banned(people)
    border.dispatch_border_due()
    assert r.border_notices.get().status == "failed"
    assert box.call("/_sandbox/border")["controls"] == []


def test_sandbox_border_acts_once_per_key_and_refuses_bad_items() -> None:
    post = Post()
    item = {"key": "k1", "action": "control", "notice": "7", "name": "张三", "id_number": ADULT_ID}
    first = post.act("BORDER-GD", item)
    assert post.act("BORDER-GD", item) == first and post.executions == {"k1": 1}
    again = post.act("BORDER-GD", {**item, "key": "k2"})  # a re-sent notice: the same control
    assert again["result"]["ref"] == first["result"]["ref"] and post.controlled("BORDER-GD", ADULT_ID)
    bad = post.act("BORDER-GD", {**item, "key": "k3", "id_number": "123"})
    assert (bad["status"], bad["retryable"], bad["error"]) == ("error", False, "bad_item")
    post.act("BORDER-GD", {**item, "key": "k4", "action": "lift"})
    assert not post.controlled("BORDER-GD", ADULT_ID)


# -- the decision document --------------------------------------------------------------------------------
def test_exit_decision_document_and_its_permissions(
    client: Client, people: dict, settings: Any, tmp_path: Any
) -> None:
    """The page shows the decision; its Word/PDF are stored documents (kind exit_decision) made and read
    through the documents capability (issue 17): the old per-domain Word route is gone."""
    from zhixing.documents.models import Document as Stored

    settings.MEDIA_ROOT = tmp_path / "media"
    r = exit_banned(people)
    assert client.get(f"/credit/exit-decisions/{r.pk}/").status_code == 302
    client.force_login(people["yx_judge"])
    assert client.get(f"/credit/exit-decisions/{r.pk}/").status_code == 404
    client.force_login(people["clerk"])
    assert client.get(f"/credit/exit-decisions/{r.pk}/docx/").status_code == 404  # no own Word path any more
    html = client.get(f"/credit/exit-decisions/{r.pk}/").content.decode()
    assert (
        "限 制 出 境 决 定 书" in html
        and "出入境边防检查机关" in html
        and "十日内向上一级人民法院申请复议" in html
        and 'data-testid="stored-none"' in html
    )
    client.force_login(people["judge"])
    page = f"/credit/exit-decisions/{r.pk}/"
    made = client.post(
        f"/cases/{r.case_id}/documents/generate/",
        {"kind": "exit_decision", "source": str(r.pk), "next": page},
    )
    assert made.status_code == 302 and made["Location"] == page
    doc = Stored.objects.get(case_id=r.case_id, kind="exit_decision", source=str(r.pk))
    assert doc.title == "限制出境决定书" and doc.version.number == 1 and len(doc.sha256) == 64
    html = client.get(page).content.decode()
    assert f'href="/documents/{doc.pk}/word/"' in html and f'href="/documents/{doc.pk}/pdf/"' in html
    word = client.get(f"/documents/{doc.pk}/word/")
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert f"{r.case.number}之限出{r.pk}" in text and "张三（被执行人本人）" in text and "{{" not in text
    assert "出入境边防检查机关" in text and "十日内向上一级人民法院申请复议" in text
    last = AuditRecord.objects.order_by("-pk").first()
    assert (last.action, last.after["kind"], last.after["format"]) == (
        "document.download",
        "exit_decision",
        "docx",
    )
    page = client.get(f"/cases/{r.case_id}/credit/").content.decode()
    assert f'href="/credit/exit-decisions/{r.pk}/"' in page
