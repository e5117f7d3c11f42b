"""A 限制消费令 issued in the platform completes the pending "发出限制消费令" node with a link to it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.credit.conftest import debtor, listing_data
from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase, Node, NodeType
from zhixing.core.models import AuditRecord
from zhixing.credit import services
from zhixing.credit.models import Restriction

pytestmark = pytest.mark.django_db


def restrict_node(people: dict[str, Any], case: EnforcementCase) -> Node:
    return case_services.add_node(people["judge"], case, NodeType.objects.get(code="restrict"))


def test_restriction_completes_the_node_with_a_link(people: dict[str, Any], case: EnforcementCase) -> None:
    n = restrict_node(people, case)
    [row] = services.restrict_consumption(people["judge"], case, debtor(case), items=[1, 9], bound_persons=[])
    n.refresh_from_db()
    assert n.status == Node.Status.DONE
    assert n.completed_by == people["judge"]
    assert n.event == "credit.restrict_consumption"
    assert n.link_url == f"{reverse('credit_case', args=[case.pk])}#restriction-{row.pk}"
    assert n.link_label == "限制消费令（张三）"
    assert n.document_ref == row.document_number
    # The served enforcement notice completed the `notice` node first (cases); the order completes `restrict`.
    recs = AuditRecord.objects.filter(case_id=case.pk, action="node.complete_by_event").order_by("id")
    assert [r.after["node"] for r in recs] == ["notice", "restrict"]
    client = Client()
    client.force_login(people["judge"])
    assert f'id="restriction-{row.pk}"' in client.get(reverse("credit_case", args=[case.pk])).content.decode()
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert f'href="{n.link_url}">限制消费令（张三）</a>' in html  # a link: the judge may open it


def test_listing_restricts_and_completes_the_node(people: dict[str, Any], case: EnforcementCase) -> None:
    n = restrict_node(people, case)
    services.list_debtor(people["judge"], case, debtor(case), listing_data())
    n.refresh_from_db()
    assert n.status == Node.Status.DONE and n.event == "credit.restrict_consumption"


def test_no_pending_node_is_a_no_op(people: dict[str, Any], case: EnforcementCase) -> None:
    services.restrict_consumption(people["judge"], case, debtor(case), items=[1], bound_persons=[])
    assert not Node.objects.filter(case=case, node_type__code="restrict").exists()
    recs = AuditRecord.objects.filter(case_id=case.pk, action="node.complete_by_event")
    assert [r.after["node"] for r in recs] == ["notice"]  # only the served notice's node


def test_a_refused_restriction_leaves_the_node_open(people: dict[str, Any], case: EnforcementCase) -> None:
    n = restrict_node(people, case)
    services.restrict_consumption(people["judge"], case, debtor(case), items=[1], bound_persons=[])
    second = restrict_node(people, case)
    with pytest.raises(Exception, match="已对该被执行人发出限制消费令"):
        services.restrict_consumption(people["judge"], case, debtor(case), items=[1], bound_persons=[])
    second.refresh_from_db()
    n.refresh_from_db()
    assert n.status == Node.Status.DONE
    assert second.status == Node.Status.PENDING
    assert Restriction.objects.filter(case=case).count() == 1
