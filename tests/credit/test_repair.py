"""Issue 14 item 9 through the services: the re-listing bar (Art 10(4)), credit repair and its certificate,
a unit's new legal representative restricted, the published 履行情况 from the case's dated payments."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from docx import Document as WordFile

from tests import factories
from zhixing.cases.services.performance import record_payment
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.credit import public, services
from zhixing.credit.models import CreditRepair, Listing, RestrictedSubject, Restriction
from zhixing.credit.services import repair
from zhixing.documents.models import Document as Stored

from .conftest import debtor, debtor_case, listing_data, open_listing_data, org_case

pytestmark = pytest.mark.django_db
NEW_REP = factories.make_id(date(1985, 7, 8), seq=555)
OLD_REP = factories.make_id(date(1970, 1, 1), seq=444)


def pay(case: Any, amount: str, on: date, ref: str) -> None:
    record_payment(case.pk, Decimal(amount), on, source="direct", reference=ref)


# -- Art 10(4): re-listing -----------------------------------------------------------------------------------
def removed_on_request(people: dict) -> Listing:
    c = debtor_case(people["clerk"])
    app = services.record_application(people["judge"], c, debtor(c), received_on=date(2026, 3, 1))
    x = services.list_debtor(
        people["judge"], c, debtor(c), open_listing_data(initiation="application", application=app)
    )
    return services.remove_listing(people["judge"], x, trigger="applicant_request")


def test_applicant_cannot_ask_to_relist_within_six_months(people: dict) -> None:
    x = removed_on_request(people)
    c, p = x.case, debtor(x.case)
    with pytest.raises(Conflict) as e:
        services.record_application(people["judge"], c, p, received_on=date(2026, 3, 10))
    assert "删除后六个月内（至2026-09-10）" in e.value.message and "第10条第4款" in e.value.message
    with time_machine.travel(date(2026, 9, 10), tick=False), pytest.raises(Conflict):
        services.record_application(people["judge"], c, p, received_on=date(2026, 9, 10))
    with time_machine.travel(date(2026, 9, 11), tick=False):
        app = services.record_application(people["judge"], c, p, received_on=date(2026, 9, 11))
        y = services.list_debtor(
            people["judge"], c, p, open_listing_data(initiation="application", application=app)
        )
    assert y.status == "active"


def test_court_may_relist_ex_officio_on_a_new_act(people: dict) -> None:
    x = removed_on_request(people)
    y = services.list_debtor(
        people["judge"], x.case, debtor(x.case), listing_data(dishonest_act="再次违反报告制度")
    )
    assert (y.status, y.initiation) == ("active", "ex_officio")


def test_other_deletions_do_not_bar_the_applicant(people: dict) -> None:
    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), open_listing_data())
    services.remove_listing(people["judge"], x, trigger="settlement")
    app = services.record_application(people["judge"], c, debtor(c), received_on=date(2026, 3, 10))
    assert app.status == "pending"


# -- 履行情况 from the dated payments ------------------------------------------------------------------
def test_performance_follows_payments_and_is_published(people: dict) -> None:
    c = debtor_case(people["clerk"])
    pay(c, "20000.00", date(2026, 3, 1), "p-1")  # before the listing
    x = services.list_debtor(people["judge"], c, debtor(c), open_listing_data())
    assert x.performance == "部分履行（已履行20,000.00元，未履行80,000.00元）"
    pay(c, "30000.50", date(2026, 3, 10), "p-2")
    x.refresh_from_db()
    assert x.performance == "部分履行（已履行50,000.50元，未履行49,999.50元）"
    assert public.public_entry(x)["performance"] == x.performance
    c2 = Client()
    c2.force_login(people["clerk"])
    page = c2.get(f"/cases/{c.pk}/credit/").content.decode()
    assert f'data-testid="performance">{x.performance}<' in page
    r = Client().get("/api/v1/public/blacklist", {"q": "张三"})
    assert r.json()["results"][0]["performance"] == x.performance
    record_payment(c.pk, Decimal("-30000.50"), date(2026, 3, 10), source="reversal", reference="p-2r")
    x.refresh_from_db()
    assert x.performance == "部分履行（已履行20,000.00元，未履行80,000.00元）"
    pay(c, "80000.00", date(2026, 3, 10), "p-3")
    x.refresh_from_db()
    assert x.performance == "全部履行"
    words = AuditRecord.objects.filter(action="credit.performance", object_id=str(x.pk)).count()
    assert words == 4


# -- credit repair ------------------------------------------------------------------
def test_repair_needs_its_conditions_and_grants_with_a_certificate(
    people: dict, client: Client, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), open_listing_data())
    r = repair.apply_repair(
        people["judge"], x, applied_on=date(2026, 3, 10), statement="已全部履行", corrected=True
    )
    assert (r.status, r.decision_due) == ("pending", date(2026, 3, 25))
    with pytest.raises(Conflict) as e:
        repair.decide_repair(people["judge"], r, grant=True)
    assert e.value.message.startswith("不符合信用修复条件：已履行生效法律文书确定的全部义务")
    with pytest.raises(Conflict):  # one pending application per listing
        repair.apply_repair(people["judge"], x, applied_on=date(2026, 3, 10), statement="再次申请")
    pay(c, "100000.00", date(2026, 3, 10), "p-all")
    r = repair.decide_repair(people["judge"], r, grant=True)
    assert (r.status, r.certificate_number) == ("granted", f"{c.number}信修1号")
    assert r.conditions == {
        "performed": True,
        "settled": False,
        "corrected": True,
        "no_other_listing": True,
        "min_days": True,
    }
    x.refresh_from_db()
    assert (x.status, x.removal_trigger, x.removed_on) == ("removed", "performed", date(2026, 3, 10))
    client.force_login(people["clerk"])
    page = client.get(f"/credit/repairs/{r.pk}/certificate/").content.decode()
    assert "信 用 修 复 证 明" in page and r.certificate_number in page and "准予信用修复" in page
    assert client.get(f"/credit/repairs/{r.pk}/certificate/docx/").status_code == 404  # no own Word path
    assert 'data-testid="stored-none"' in page and 'data-testid="make-document"' not in page  # clerk: read
    # The judge makes it through the documents capability: stored, audited, Word and PDF by its routes.
    client.force_login(people["judge"])
    back = f"/credit/repairs/{r.pk}/certificate/"
    made = client.post(
        f"/cases/{c.pk}/documents/generate/",
        {"kind": "repair_certificate", "source": str(r.pk), "next": back},
    )
    assert made.status_code == 302 and made["Location"] == back
    stored = Stored.objects.get(case_id=c.pk, kind="repair_certificate", source=str(r.pk))
    assert (stored.title, stored.version.number) == ("信用修复证明", 1)
    made_audit = AuditRecord.objects.order_by("-pk").first()
    assert (made_audit.action, made_audit.object_id) == ("document.generate", str(stored.pk))
    page = client.get(back).content.decode()
    assert f'href="/documents/{stored.pk}/word/"' in page and f'href="/documents/{stored.pk}/pdf/"' in page
    docx = client.get(f"/documents/{stored.pk}/word/")
    assert docx.status_code == 200 and docx["Content-Disposition"].startswith("attachment")
    text = "\n".join(p.text for p in WordFile(io.BytesIO(docx.content)).paragraphs)
    assert r.certificate_number in text and "本院于2026年03月10日决定准予信用修复" in text
    assert "（一）已履行生效法律文书确定的全部义务" in text and "{{" not in text
    with pytest.raises(Conflict):
        repair.apply_repair(people["judge"], x, applied_on=date(2026, 3, 10), statement="已修复")


def test_repair_by_settlement_and_refusal_needs_a_reason(people: dict) -> None:
    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), open_listing_data())
    r = repair.apply_repair(people["judge"], x, applied_on=date(2026, 3, 10), statement="和解", settled=True)
    with pytest.raises(ServiceError) as e:
        repair.decide_repair(people["judge"], r, grant=False)
    assert e.value.field == "reason"
    r = repair.decide_repair(people["judge"], r, grant=False, reason="失信行为尚未纠正")
    assert (r.status, r.reason, r.certificate_number) == ("rejected", "失信行为尚未纠正", "")
    r2 = repair.apply_repair(
        people["judge"], x, applied_on=date(2026, 3, 10), statement="和解已履行", settled=True, corrected=True
    )
    r2 = repair.decide_repair(people["judge"], r2, grant=True)
    x.refresh_from_db()
    assert (r2.status, x.status, x.removal_trigger) == ("granted", "removed", "settlement")
    assert Restriction.objects.filter(case=c, status="active").count() == 0  # settlement lifts (限消 Art 9)


def test_repair_is_refused_for_a_revoked_listing_and_for_clerks(people: dict) -> None:
    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), open_listing_data())
    with pytest.raises(NotPermitted):
        repair.apply_repair(people["clerk"], x, applied_on=date(2026, 3, 10), statement="x")
    services.remove_listing(people["judge"], x, trigger="wrongful")
    x.refresh_from_db()
    with pytest.raises(Conflict):
        repair.apply_repair(people["judge"], x, applied_on=date(2026, 3, 10), statement="x")
    assert CreditRepair.objects.count() == 0


# -- a unit's new legal representative ------------------------------------------------------------------
def listed_unit(people: dict) -> Listing:
    c = org_case(people["clerk"])
    bound = [services.BoundPerson(bound="legal_rep", name="王五", id_number=OLD_REP)]
    return services.list_debtor(people["judge"], c, debtor(c), listing_data(bound_persons=bound))


def reps(x: Listing) -> dict[str, str]:
    rows = Restriction.objects.filter(case=x.case, bound="legal_rep")
    return {r.name: r.status for r in rows}


def test_new_legal_rep_restricted_and_former_released_on_finding(people: dict) -> None:
    x = listed_unit(people)
    ch = repair.record_legal_rep_change(
        people["judge"],
        x.case,
        debtor(x.case),
        new_name="赵六",
        new_id_number=NEW_REP,
        changed_on=date(2026, 3, 9),
        former_released=True,
    )
    assert reps(x) == {"王五": "lifted", "赵六": "active"}
    assert (
        (ch.former_name, ch.new_name) == ("王五", "赵六") and ch.imposed is not None and ch.lifted is not None
    )
    new = ch.imposed
    assert (new.items, new.listing_id, new.registered) == (list(range(1, 10)), x.pk, True)
    assert RestrictedSubject.objects.get(subject_key=NEW_REP).mask != 0
    assert RestrictedSubject.objects.get(subject_key=OLD_REP).mask == 0
    x.refresh_from_db()
    assert x.legal_representative == "赵六"  # the published information follows
    assert AuditRecord.objects.filter(action="credit.legal_rep_change").count() == 1


def test_former_stays_restricted_without_the_finding(people: dict) -> None:
    x = listed_unit(people)
    repair.record_legal_rep_change(
        people["judge"],
        x.case,
        debtor(x.case),
        new_name="赵六",
        new_id_number=NEW_REP,
        changed_on=date(2026, 3, 9),
    )
    assert reps(x) == {"王五": "active", "赵六": "active"}


def test_unrestricted_unit_change_restricts_nobody(people: dict) -> None:
    c = org_case(people["clerk"])
    ch = repair.record_legal_rep_change(
        people["judge"], c, debtor(c), new_name="赵六", new_id_number=NEW_REP, changed_on=date(2026, 3, 9)
    )
    assert ch.imposed is None and Restriction.objects.filter(case=c).count() == 0


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"new_id_number": "440106198507085550"}, "new_id_number"),
        ({"new_name": " "}, "new_name"),
        ({"changed_on": date(2026, 3, 11)}, "changed_on"),
    ],
)
def test_legal_rep_change_validation(people: dict, kw: dict, field: str) -> None:
    x = listed_unit(people)
    args: dict[str, Any] = {"new_name": "赵六", "new_id_number": NEW_REP, "changed_on": date(2026, 3, 9)}
    args.update(kw)
    with pytest.raises(ServiceError) as e:
        repair.record_legal_rep_change(people["judge"], x.case, debtor(x.case), **args)
    assert e.value.field == field


def test_person_debtor_has_no_legal_rep(people: dict) -> None:
    c = debtor_case(people["clerk"])
    with pytest.raises(ServiceError):
        repair.record_legal_rep_change(
            people["judge"], c, debtor(c), new_name="赵六", new_id_number=NEW_REP, changed_on=date(2026, 3, 9)
        )
