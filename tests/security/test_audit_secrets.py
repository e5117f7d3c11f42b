"""Secrets never reach the audit chain (finding 4): models declare their secret fields, audit honours it.

Every model that declares `audit_secret_fields` is checked through `audit.snapshot` and `audit.record`;
every model of every installed app is scanned for fields named like a secret, which must be declared
or explicitly allowed below; and the admin edits that leaked partner keys are replayed end to end.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.apps import apps
from django.db import models, transaction
from django.test import Client

from tests import factories
from zhixing.core import audit
from zhixing.core.audit_policy import SECRET_CHANGED_MARK, SECRET_MARK, secret_fields
from zhixing.core.models import AuditRecord
from zhixing.courts.roles import Role
from zhixing.credit import services as credit_services
from zhixing.inquiry.models import Partner as InquiryPartner

pytestmark = pytest.mark.django_db

SUSPICIOUS = re.compile(r"secret|key|token|passw|hmac|digest|salt|credential|private", re.IGNORECASE)

# Fields named like a secret that are not one. Each entry says why; a stale entry fails the scan.
ALLOWED: dict[tuple[str, str], str] = {
    ("cases.BankruptcyTransfer", "debtor_key"): "the debtor company's unified social credit code",
    ("cases.DormantConfirmation", "key"): "which 终本 precondition was confirmed",
    ("command.SituationTotal", "key"): "which running total: the figure's code (court and month are columns)",
    ("documents.Delivery", "key"): "idempotency key of one message (a retry sends the same key)",
    ("command.Alert", "source_key"): "the event an alert comes from (one alert per event)",
    ("command.ParkingOperator", "key_prefix"): "the first characters shown to tell keys apart, not the key",
    ("portal.RewardOffer", "ledger_key"): "idempotency key of the reward's ledger transaction",
    ("credit.Listing", "subject_key"): "the listed person's ID number: personal data, not a credential",
    ("credit.Listing", "name_key"): "normalised name for search",
    ("credit.Restriction", "subject_key"): "ID number of the restricted person",
    ("credit.RestrictedSubject", "subject_key"): "ID number of the restricted person",
    ("credit.ChangeEvent", "subject_key"): "ID number in the register's change log",
    ("credit.Interception", "subject_key"): "ID number a partner intercepted",
    ("credit.KeyedHash", "subject_key"): "ID number a keyed hash maps back to",
    ("credit.Partner", "key_prefix"): "the first 10 characters, shown on purpose to tell keys apart",
    ("analytics.Profile", "key_dates"): "the case's key dates",
    ("analytics.StatementPreset", "direction_keywords_in"): "words marking income in a statement layout",
    ("analytics.StatementPreset", "direction_keywords_out"): "words marking spending in a statement layout",
    ("inquiry.InquiryRequest", "idempotency_key"): "retry key, public to the partner",
    ("credit.ExposureNotice", "idempotency_key"): "retry key, public to the media partner",
    ("credit.BorderNotice", "idempotency_key"): "retry key, public to the border-control partner",
    ("credit.ListingNotice", "idempotency_key"): "retry key, public to the Art 8 recipient",
    ("credit.LegalRepChange", "new_key"): "ID number of the new legal representative: personal data",
    ("inquiry.DeductionReceivable", "idempotency_key"): "retry key, public to the partner",
    ("inquiry.CallbackLog", "idempotency_key"): "retry key, public to the partner",
    ("funds.Transaction", "idempotency_key"): "retry key of a ledger posting",
    ("funds.BankNotice", "idempotency_key"): "the bank's own notice key, sent by the bank itself",
    ("funds.LedgerAccount", "key"): "account code: subject/court/case/party",
    ("funds.Receipt", "return_order_key"): "retry key of a return order sent to the bank",
    ("funds.Payout", "order_key"): "retry key of a payment order sent to the bank",
    ("core.AuditCheckpoint", "key_id"): "public fingerprint of the checkpoint key, not the key",
    (
        "core.SharedCacheEntry",
        "cache_key",
    ): "rate-limit counter key (scope, hashed client, window)",
    ("cases.FilingKey", "key"): "court + normalised basis number + debtor: the duplicate-filing lock",
    ("measures.Consequence", "key"): "the event and object a consequence row answers (one row per event)",
}

# The secrets the probe found or that exist today: each must stay declared.
KNOWN_SECRETS = {
    ("inquiry.Partner", "shared_secret"),
    ("credit.Partner", "hmac_key"),
    ("credit.Partner", "key_digest"),
    ("credit.PrivacyTable", "key_digest"),
    ("credit.KeyedHash", "digest"),
    ("courts.Staff", "password"),
    ("courts.ApiToken", "digest"),
    ("funds.PortalToken", "token"),
    ("funds.PortalToken", "verify_digest"),
    ("sessions.Session", "session_key"),
    ("sessions.Session", "session_data"),
}

DECLARED = sorted((m for m in apps.get_models() if secret_fields(m)), key=lambda m: m._meta.label)


def _sentinel(model: type[models.Model], field: models.Field[Any, Any]) -> Any:
    if isinstance(field, models.IntegerField):
        return 7_316_492_058_113
    text = f"SENTINEL-{model.__name__}-{field.name}-9f3a"
    return text[: field.max_length] if getattr(field, "max_length", None) else text


def _trail() -> str:
    rows = AuditRecord.objects.values_list("before", "after")
    return json.dumps(list(rows), ensure_ascii=False, default=str)


def test_the_known_secrets_are_declared():
    declared = {(m._meta.label, n) for m in apps.get_models() for n in secret_fields(m)}
    assert declared >= KNOWN_SECRETS


@pytest.mark.parametrize("model", DECLARED, ids=lambda m: m._meta.label)
def test_every_declared_secret_is_a_concrete_field(model):
    concrete = {f.name for f in model._meta.concrete_fields} | {
        f.attname for f in model._meta.concrete_fields
    }
    assert set(secret_fields(model)) <= concrete


@pytest.mark.parametrize("model", DECLARED, ids=lambda m: m._meta.label)
def test_snapshot_marks_every_declared_secret(model):
    obj = model()
    # A secret primary key (the session key) is never in a snapshot: the admin writes it as the marker.
    fields = [f for f in model._meta.concrete_fields if f.name in secret_fields(model) and not f.primary_key]
    for f in fields:
        setattr(obj, f.attname, _sentinel(model, f))
    snap = audit.snapshot(obj)
    assert {f.name: snap[f.name] for f in fields} == {f.name: SECRET_MARK for f in fields}
    text = json.dumps(audit.jsonable(snap), ensure_ascii=False)
    assert all(str(_sentinel(model, f)) not in text for f in fields)


@pytest.mark.parametrize("model", DECLARED, ids=lambda m: m._meta.label)
def test_record_never_stores_a_declared_secret(model):
    """Whatever a service puts in before/after, under the label or the bare class name, nested or not."""
    fields = [f for f in model._meta.concrete_fields if f.name in secret_fields(model)]
    payload = {f.name: _sentinel(model, f) for f in fields}
    with transaction.atomic():
        rec = audit.record(
            None,
            "test.secret",
            object_type=model.__name__,
            before=payload,
            after={**payload, "rows": [payload], "note": "kept"},
        )
    rec.refresh_from_db()
    assert rec.before == {f.name: SECRET_MARK for f in fields}
    assert rec.after == {**rec.before, "rows": [rec.before], "note": "kept"}
    assert all(str(v) not in _trail() for v in payload.values())
    assert audit.verify_chain().ok


def test_no_model_has_an_undeclared_secret_looking_field():
    """A future model with a key, token, password… field fails here until it is declared or allowed."""
    undeclared, seen = [], set()
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if not SUSPICIOUS.search(f.name):
                continue
            seen.add((model._meta.label, f.name))
            if f.name not in secret_fields(model) and (model._meta.label, f.name) not in ALLOWED:
                undeclared.append(f"{model._meta.label}.{f.name}")
    assert undeclared == []
    assert set(ALLOWED) - seen == set()  # no stale allow-list entries


# -- the admin edits the probe made -----------------------------------------------------------------


@pytest.fixture
def root(courts: Any) -> Client:
    user = factories.staff(None, Role.OPERATOR, username="root", is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def test_inquiry_partner_edit_in_admin_keeps_the_shared_secret_out(root):
    partner = InquiryPartner.objects.order_by("pk").first()
    assert partner is not None and partner.shared_secret
    response = root.post(
        f"/admin/inquiry/partner/{partner.pk}/change/",
        {
            "code": partner.code,
            "name": "改名后的联动单位",
            "category": partner.category_id,
            "channel": partner.channel,
            "actions": json.dumps(partner.actions),
            "base_url": "",
            "adapter": partner.adapter,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    rec = AuditRecord.objects.get(action="admin.change", object_type="inquiry.Partner")
    assert (rec.before["name"], rec.after["name"]) == (partner.name, "改名后的联动单位")
    assert rec.before["shared_secret"] == rec.after["shared_secret"] == SECRET_MARK
    assert partner.shared_secret not in _trail()


def test_credit_partner_rate_limit_edit_in_admin_is_audited_without_key_material(root):
    partner, api_key = credit_services.create_partner(
        None, name="国铁集团", kind="railway", rate_per_minute=600
    )
    response = root.post(
        f"/admin/credit/partner/{partner.pk}/change/",
        {"name": partner.name, "kind": "railway", "rate_per_minute": "60", "area_code": ""},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    rec = AuditRecord.objects.get(action="admin.change", object_type="credit.Partner")
    assert (rec.before["rate_per_minute"], rec.after["rate_per_minute"]) == (600, 60)
    assert rec.after["hmac_key"] == rec.after["key_digest"] == SECRET_MARK
    trail = _trail()
    assert partner.hmac_key not in trail and partner.key_digest not in trail and api_key not in trail


def test_credit_partner_key_rotation_in_admin_shows_only_that_the_key_changed(root):
    partner, _key = credit_services.create_partner(None, name="某航空公司", kind="airline")
    old_key = partner.hmac_key
    response = root.post(
        "/admin/credit/partner/", {"action": "privacy_rotate", "_selected_action": [partner.pk]}
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.hmac_key != old_key
    rec = AuditRecord.objects.get(action="admin.action.privacy_rotate", object_type="credit.Partner")
    assert (rec.before["hmac_key"], rec.after["hmac_key"]) == (SECRET_MARK, SECRET_CHANGED_MARK)
    trail = _trail()
    assert old_key not in trail and partner.hmac_key not in trail


def test_staff_password_set_in_admin_is_audited_without_the_hash(root, courts):
    judge = factories.staff(courts["th"], Role.JUDGE, username="th_pw_judge")
    response = root.post(
        f"/admin/courts/staff/{judge.pk}/password/",
        {
            "password1": "Another-Long-Pass-2026",
            "password2": "Another-Long-Pass-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    judge.refresh_from_db()
    assert judge.check_password("Another-Long-Pass-2026")
    rec = AuditRecord.objects.get(action="admin.change", object_type="courts.Staff", object_id=str(judge.pk))
    assert rec.after["password"] == SECRET_MARK
    assert "password" in json.dumps(rec.after["admin_message"])  # Django's message names the field
    assert judge.password not in _trail()
