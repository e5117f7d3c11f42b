"""删除失信 and the other irreversible credit actions ask first, naming whom and which decision (ADR 0012)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.funds.test_confirm_pages import confirm_of
from zhixing.credit.models import Restriction

from .conftest import debtor

pytestmark = pytest.mark.django_db


def test_remove_lift_and_expose_ask_with_the_decision(
    client: Any, people: dict[str, Any], listed: Any
) -> None:
    case = listed.case
    row = Restriction.objects.filter(case=case, kind="consumption", status="active").first()
    assert row is not None  # listing restricts consumption too
    client.force_login(people["judge"])
    page = client.get(reverse("credit_case", args=[case.pk])).content.decode()
    name, number = debtor(case).name, listed.document_number
    assert confirm_of(page, 'data-testid="remove-form"') == (
        f"将删除{name}的失信被执行人信息（{number}）：公开名单立即撤下并通知联合惩戒单位解除惩戒，操作不可撤销；"
        "如需再纳入须重新作出决定。"
    )
    assert confirm_of(page, f'name="restriction" value="{row.pk}">') == (
        f"将解除对{row.name}的限制消费，并通知相关单位撤销限制，操作不可撤销；如需再次限制须重新作出决定。"
    )
    assert confirm_of(page, 'data-testid="expose-form"') == (
        f"将向{name}户籍地媒体推送曝光信息（{number}），媒体发布后无法收回。"
    )


def test_listing_asks_before_publication(client: Any, people: dict[str, Any], case: Any) -> None:
    client.force_login(people["judge"])
    page = client.get(reverse("credit_case", args=[case.pk])).content.decode()
    assert confirm_of(page, 'data-testid="list-form"') == (
        f"将提请院长审批把{debtor(case).name}纳入失信被执行人名单；院长签发后决定生效，"
        "向社会公布并推送联合惩戒单位，公布后无法收回。"
    )


def test_refused_listing_shows_beside_its_field_back_at_the_form(
    client: Any, people: dict[str, Any], case: Any
) -> None:
    client.force_login(people["judge"])
    party = debtor(case)
    resp = client.post(
        reverse("credit_action", args=[case.pk, "list"]),
        {"party": party.pk, "ground": "4", "dishonest_act": "  "},
    )
    assert resp["Location"] == reverse("credit_case", args=[case.pk]) + f"#list-form-{party.pk}"
    page = client.get(resp["Location"]).content.decode()
    form = page.split(f'id="list-form-{party.pk}"')[1].split("</form>")[0]
    field = form.split('name="dishonest_act"')[1].split("</label>")[0]
    assert 'aria-invalid="true"' in field and "办理未成功，未作任何更改：请填写具体失信行为" in field
    assert '<option value="4" selected>' in form  # what was chosen stays chosen
    assert 'id="messages"' not in page
