"""One main menu by role, the per-role worklist with exact counts, notifications (service, page, API,
WebSocket) and the "who acts next" card (issue 13, business date frozen at 2026-03-10)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from channels.layers import get_channel_layer
from django.test import Client, override_settings

from tests import factories
from tests.web.conftest import TODAY, request_extension
from zhixing.cases import services
from zhixing.core import navigation, notify, worklist
from zhixing.core.models import Notification

pytestmark = pytest.mark.django_db

NUMBER = "（2026）粤0106执1号"
MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# The disclosure section (issue 17): every court member reads the tips, petitions and rulings lists.
PORTAL = ["portal-tips", "portal-petitions", "portal-rulings", "public-portal"]


def html(response: Any) -> str:
    return response.content.decode()


def menu(user: Any, path: str = "/") -> dict[str, list[str]]:
    return {s.key: [i.key for i in s.items] for s in navigation.menu_for(user, path)}


def counts(user: Any) -> dict[str, int]:
    return {f"{g.section}.{i.key}": i.count for g in worklist.groups_for(user) for i in g.items}


# -- menu -------------------------------------------------------------------------------------------


def test_menu_per_role(people):
    assert menu(people["judge"]) == {
        "home": ["home"],
        "cases": ["cases", "file", "entrust", "bankruptcy", "objection-reviews"],
        "inquiry": [
            "inquiry-approvals",
            "inquiry-centralised",
            "controls",
            "inquiry-log",
            "dormant-registry",
        ],
        "measures": ["measures", "measures-table"],
        "auctions": ["auctions", "auctions-stats"],
        "credit": ["credit-corrections", "public-blacklist"],
        "funds": ["funds-approvals"],
        "analytics": ["analytics", "analytics-presets", "analytics-rates"],
        "command": ["command-my-alerts", "command-field"],
        "portal": PORTAL,
    }
    assert menu(people["clerk"]) == {
        "home": ["home"],
        "cases": ["cases", "file", "entrust"],
        "inquiry": ["dormant-registry"],
        "credit": ["public-blacklist"],
        "analytics": ["analytics", "analytics-presets", "analytics-rates"],
        "command": ["command-my-alerts"],
        "portal": PORTAL,
    }
    assert menu(people["finance"]) == {
        "home": ["home"],
        "cases": ["cases"],
        "inquiry": ["dormant-registry"],
        "credit": ["public-blacklist"],
        "funds": ["funds-finance", "funds-custody"],
        "analytics": ["analytics-rates"],  # finance keeps the conversion rates
        "command": ["command-my-alerts"],
        "portal": PORTAL,
    }
    assert menu(people["president"]) == {
        "home": ["home"],
        "cases": [
            "cases",
            "supervision",
            "coercion-approvals",
            "bankruptcy",
            "objections",
            "objection-reviews",
        ],
        "inquiry": ["inquiry-log", "triage-queue", "dormant-registry"],
        "measures": ["measures", "measures-table"],
        "auctions": ["auctions-stats"],
        "credit": ["credit-supervision", "credit-statistics", "public-blacklist"],
        "funds": ["funds-finance", "funds-approvals", "funds-director"],
        "command": [
            "situation",
            "command-alerts",
            "metrics",
            "command-my-alerts",
            "entrust",
            "command-watch",
            "supervision",
        ],
        "portal": PORTAL,
    }
    assert menu(people["bailiff"]) == {
        "home": ["home"],
        "cases": ["cases"],
        "inquiry": ["dormant-registry"],
        "credit": ["public-blacklist"],
        "command": ["command-my-alerts", "command-field"],
        "portal": PORTAL,
    }


def test_menu_marks_the_current_section_and_link(people):
    sections = navigation.menu_for(people["finance"], "/funds/finance/")
    assert [s.key for s in sections if s.current] == ["funds"]
    assert [i.key for s in sections for i in s.items if i.current] == ["funds-finance"]
    assert [s.key for s in navigation.menu_for(people["judge"], "/cases/12/") if s.current] == ["cases"]
    assert [s.key for s in navigation.menu_for(people["judge"], "/") if s.current] == ["home"]


def test_every_staff_page_renders_the_one_menu(people, case, login):
    page = html(login(people["finance"]).get(f"/cases/{case.pk}/"))
    assert '<nav class="mainnav" id="mainnav"' in page
    assert '<div class="nav-section current" data-section="cases">' in page
    assert 'id="nav-funds-finance"' in page and 'id="nav-supervision"' not in page
    assert 'id="menu-toggle"' in page and 'id="bell"' in page
    page = html(login(people["director"]).get("/funds/director/"))
    assert '<div class="nav-section current" data-section="funds">' in page
    # The inquiry pages no longer swap in their own menu: the same sections as anywhere else.
    judge = login(people["judge"])

    def nav(p: str) -> list[str]:
        return re.findall(r'data-section="([a-z]+)"', p.split(' id="mainnav"')[1].split("</nav>")[0])

    assert (
        nav(html(judge.get("/inquiry/log/")))
        == nav(html(judge.get("/")))
        == [
            "home",
            "cases",
            "inquiry",
            "measures",
            "auctions",
            "credit",
            "funds",
            "analytics",
            "command",
            "portal",
        ]
    )


# -- worklist ---------------------------------------------------------------------------------------


def test_worklist_counts_per_role(people, assigned):
    services.scan_due_nodes(TODAY)
    factories.case(people["clerk"])  # a second case, not yet assigned
    request_extension(assigned, people["judge"])
    assert counts(people["judge"]) == {
        # 发起网络查控 and 告知申请执行人提供财产线索 (assigned 03-05 + 3 days → 03-09), due 2026-03-09
        "cases.my-overdue": 2,
        "cases.my-soon": 1,  # 执行通知书, due 2026-03-12 (from receipt, 民诉解释 Art 480)
        "cases.alerts": 3,  # red for the inquiry and the leads, yellow for the notice
        "inquiry.approvals": 0,
        "measures.proposals": 0,
        "funds.approvals": 0,
        "credit.corrections": 0,
        "credit.corrections_overdue": 0,
        "objections.objections-pending": 0,  # issue 19: objections the court reviews
        "portal.tips": 0,  # issue 17: new tips of the judge's cases, petitions routed to them
        "portal.petitions": 0,
        "cases.settlement-resume": 0,  # issue 19.4: applicants' requests to resume after a settlement
    }
    assert counts(people["clerk"]) == {"cases.to-assign": 1, "cases.notices": 2}
    president = counts(people["president"])
    assert president["cases.extensions"] == 1 and president["cases.to-assign"] == 1
    # 发起网络查控 is overdue on both cases, asking for leads on the assigned one; the scan ran before
    # the second case was filed.
    assert (
        president["cases.court-overdue"] == 3 and president["cases.alerts"] == 3
    )  # + yellow notice (from receipt)
    # The figure links to exactly the nodes it counts.
    item = next(
        i for g in worklist.groups_for(people["president"]) for i in g.items if i.key == "court-overdue"
    )
    assert item.url == "/supervision/nodes/?tree=1"
    c = Client()
    c.force_login(people["president"])
    page = c.get(item.url)
    assert page.status_code == 200 and page.context["count"] == 3
    assert "cases.my-overdue" not in president
    assert counts(people["finance"]) == {
        "funds.to_send": 0,
        "funds.unidentified": 0,
        "funds.overdue": 0,
    }
    assert counts(people["bailiff"]) == {}


def test_home_for_the_president_shows_court_counts_and_no_empty_my_panels(people, assigned, login):
    page = html(login(people["president"]).get("/"))
    assert 'id="worklist"' in page and 'id="court-status"' in page
    assert 'id="my-cases"' not in page and 'id="my-nodes"' not in page
    assert 'data-todo="extensions"' in page


def test_worklist_panel_needs_a_sign_in(people, login):
    assert login(None).get("/worklist/panel/")["Location"].startswith("/login/")
    page = html(login(people["clerk"]).get("/worklist/panel/"))
    assert 'id="worklist"' in page and 'data-todo="to-assign"' in page


# -- notifications ----------------------------------------------------------------------------------


def test_assignment_notifies_the_judge_once_per_assignment(people, case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.assign_case(people["director"], case, people["judge"])
    assert len(callbacks) >= 1
    n = Notification.objects.get(recipient=people["judge"])
    assert (n.kind, n.text, n.url, n.source) == (
        "case.assigned",
        f"案件{NUMBER}已分配给您承办",
        f"/cases/{case.pk}/",
        f"cases.EnforcementCase:{case.pk}",
    )
    services.assign_case(people["director"], case, people["judge"])  # same handler again: no repeat
    assert Notification.objects.filter(recipient=people["judge"]).count() == 1


def test_notify_once_dedupes_by_kind_and_source(people):
    judge = people["judge"]
    assert notify.notify(judge, "x.kind", "甲", "/a/", source="s:1", once=True) is not None
    assert notify.notify(judge, "x.kind", "甲", "/a/", source="s:1", once=True) is None
    assert notify.notify(judge, "x.kind", "乙", "/a/", source="s:1") is not None
    assert notify.notify(None, "x.kind", "丙") is None
    assert notify.unread_count(judge) == 2


def test_notifications_page_and_mark_read(people, login):
    n = notify.notify(people["judge"], "x.kind", "请处理案件", "/cases/", source="s:2")
    assert login(None).get("/notifications/")["Location"].startswith("/login/")
    other = login(people["clerk"])
    assert "请处理案件" not in html(other.get("/notifications/"))
    other.post("/notifications/read/", {"id": n.pk})  # someone else's: untouched
    n.refresh_from_db()
    assert n.read_at is None
    judge = login(people["judge"])
    page = html(judge.get("/notifications/"))
    assert "请处理案件" in page and "未读 1 条" in page
    r = judge.post("/notifications/read/", {"id": n.pk, "next": "/cases/"})
    assert r.status_code == 302 and r["Location"] == "/cases/"
    n.refresh_from_db()
    assert n.read_at is not None
    r = judge.post("/notifications/read/", {"next": "https://evil.example/"})
    assert r["Location"] == "/notifications/"


def test_notifications_api(people, login):
    a = notify.notify(people["judge"], "x.kind", "第一条", "/a/", source="s:3")
    b = notify.notify(people["judge"], "x.kind", "第二条", "/b/", source="s:4")
    notify.notify(people["clerk"], "x.kind", "别人的", "/c/", source="s:5")
    assert login(None).get("/api/v1/notifications").status_code == 401
    client = login(people["judge"])
    rows = client.get("/api/v1/notifications").json()
    assert [r["text"] for r in rows] == ["第二条", "第一条"]
    unread = client.get("/api/v1/notifications/unread").json()
    assert unread["unread"] == 2 and unread["latest"]["id"] == b.pk
    assert client.post(f"/api/v1/notifications/{a.pk}/read").json() == {"marked": 1, "unread": 1}
    clerk_note = Notification.objects.get(recipient=people["clerk"])
    assert client.post(f"/api/v1/notifications/{clerk_note.pk}/read").status_code == 404
    assert client.post("/api/v1/notifications/read").json() == {"marked": 1, "unread": 0}
    assert [r["read"] for r in client.get("/api/v1/notifications").json()] == [True, True]
    assert client.get("/api/v1/notifications?unread=true").json() == []


# -- WebSocket --------------------------------------------------------------------------------------


class Socket(ApplicationCommunicator):  # type: ignore[misc]
    """channels.testing.WebsocketCommunicator without channels.testing (whose package imports daphne)."""

    def __init__(self, app: Any, path: str, user: Any) -> None:
        scope = {"type": "websocket", "path": path, "headers": [], "subprotocols": [], "user": user}
        super().__init__(app, scope)

    async def connect(self) -> dict[str, Any]:
        await self.send_input({"type": "websocket.connect"})
        return dict(await self.receive_output(2))

    async def receive_json(self) -> Any:
        msg = await self.receive_output(2)
        return json.loads(msg["text"])


@override_settings(CHANNEL_LAYERS=MEMORY)
def test_websocket_delivers_a_users_notifications_and_refuses_anonymous(people):
    from django.contrib.auth.models import AnonymousUser

    from zhixing.core.consumers import NotificationConsumer

    judge = people["judge"]

    async def run() -> None:
        anon = Socket(NotificationConsumer.as_asgi(), "/ws/notifications/", AnonymousUser())
        assert await anon.connect() == {"type": "websocket.close", "code": 4401}
        ws = Socket(NotificationConsumer.as_asgi(), "/ws/notifications/", judge)
        assert (await ws.connect())["type"] == "websocket.accept"
        layer = get_channel_layer()
        await layer.group_send(
            notify.group_name(judge.pk), {"type": "notify.message", "data": {"text": "到了", "unread": 3}}
        )
        assert await ws.receive_json() == {"text": "到了", "unread": 3}
        await layer.group_send(notify.group_name(people["clerk"].pk), {"type": "notify.message", "data": {}})
        assert await ws.receive_nothing(0.2)
        await ws.send_input({"type": "websocket.disconnect", "code": 1000})
        await ws.wait(1)

    async_to_sync(run)()


@override_settings(CHANNEL_LAYERS=MEMORY)
def test_notify_pushes_on_commit(people, django_capture_on_commit_callbacks):
    judge = people["judge"]
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(notify.group_name(judge.pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        n = notify.notify(judge, "x.kind", "推送", "/p/", source="s:6")
    msg = async_to_sync(layer.receive)(channel)
    assert msg["type"] == "notify.message"
    assert msg["data"]["id"] == n.pk and msg["data"]["text"] == "推送" and msg["data"]["unread"] == 1


# -- who acts next ----------------------------------------------------------------------------------


def test_case_page_says_who_acts_next(people, case, login):
    page = html(login(people["judge"]).get(f"/cases/{case.pk}/"))
    card = page.split(' id="next-actor"')[1].split("</section>")[0]
    assert "执行局局长" in card and "指定承办人（分案）" in card
    services.assign_case(people["director"], case, people["judge"])
    request_extension(case, people["judge"])
    card = (
        html(login(people["judge"]).get(f"/cases/{case.pk}/"))
        .split(' id="next-actor"')[1]
        .split("</section>")[0]
    )
    rows = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", r, re.S)]
        for r in re.findall(r"<tr[^>]*>(.*?)</tr>", card, re.S)[1:]
    ]
    assert rows[0][0] == "院长" and "延长执行期限" in rows[0][1]
    assert rows[1][:2] == [people["judge"].full_name, "发起网络查控"]


def test_the_court_less_administrator_is_offered_no_page_that_is_not_found(courts):
    """The demo's `admin` (a superuser on no court) had 态势大屏, 执行质效, 事项委托 in the menu and
    辖区超期节点 in the worklist: each answered 未找到, since they are a court's pages."""
    root = factories.staff(None, "operator", username="root", is_superuser=True)
    client = Client()
    client.force_login(root)
    links = [i.url for s in navigation.menu_for(root, "/") for i in s.items]
    links += [i.url for g in worklist.groups_for(root) for i in g.items]
    assert links
    for url in links:
        if url.startswith("/admin/"):
            continue
        assert client.get(url).status_code == 200, url
