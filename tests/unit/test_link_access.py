"""`core.link_access`: a stored on-site link is a link only for who may open the page behind it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.template import Context, Template

from tests import factories
from zhixing.core import link_access

SRC = Path(__file__).resolve().parents[2] / "src" / "zhixing"
STORED = re.compile(r"link_url=f?\"?\{?reverse\(['\"]([a-z_:]+)['\"]")


def test_every_page_a_service_links_a_node_to_has_a_check() -> None:
    """A service storing `link_url=reverse("name", …)` names a page whose domain registered who may open
    it (else the link would show as text to everyone)."""
    named = {m for p in SRC.rglob("*.py") for m in STORED.findall(p.read_text(encoding="utf-8"))}
    named |= {"inquiry_case"}  # inquiry.services.requests builds the batch link in a variable
    assert named >= {"case_notice", "case_detail", "credit_case", "inquiry_notice"}
    assert named - link_access.registered() == set()


@pytest.mark.parametrize("url", ["", "https://example.com/cases/1/", "//evil.example/cases/1/", "/no/such/"])
def test_anything_but_a_known_on_site_page_is_never_a_link(url: str) -> None:
    class Anyone:
        is_authenticated = True

    assert link_access.may_open(Anyone(), url) is False


def test_an_unregistered_page_is_never_a_link() -> None:
    class Anyone:
        is_authenticated = True

    assert link_access.url_name("/cases/") == "case_list"
    assert "case_list" not in link_access.registered()
    assert link_access.may_open(Anyone(), "/cases/") is False


@pytest.mark.django_db
def test_the_clerk_reads_the_register_link_as_text_the_judge_as_a_link() -> None:
    court = factories.province()["th"]
    clerk = factories.staff(court, "clerk")
    judge = factories.staff(court, "judge")
    case = factories.case(clerk)
    url = f"/inquiry/cases/{case.pk}/?batch=1#requests"
    tpl = Template('{% load links %}{% stored_link url "查控批次#1" user "node-link" %}')

    def render(user: Any) -> str:
        return tpl.render(Context({"url": url, "user": user}))

    assert render(judge) == (
        f'<a data-testid="node-link" href="/inquiry/cases/{case.pk}/?batch=1#requests">查控批次#1</a>'
    )
    assert render(clerk) == (
        '<span class="muted" data-testid="node-link-text" title="您的岗位无权查看该记录">查控批次#1</span>'
    )
    # the case page itself is open to both
    assert link_access.may_open(clerk, f"/cases/{case.pk}/#asset-reports") is True
