"""Parties as entered at filing: each identity number checked by the rules of its document.

A person proves identity with a resident ID, a 港澳台 residence permit, a foreign permanent-residence
card, a 港澳 or 台湾 travel permit, or a passport (with its issuing State); an organisation with its
unified social credit code, or — without one — its organisation code (GB 11714) or the registration
number of an overseas organisation (with the country or region). See `zhixing.core.id_documents`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from zhixing.core import audit
from zhixing.core.errors import ServiceError
from zhixing.core.id_documents import NATIONALITY_TYPES, IdType, check_identity
from zhixing.core.identity import IdentityError, is_minor

from ..models import Party
from ..parties import ORGANISATION_ID_TYPES, PERSON_ID_TYPES


@dataclass
class PartyData:
    """One party as entered on the filing form or in the API.

    `id_type` empty means the usual document of the kind (resident ID for a person, unified social
    credit code for an organisation). `birth_date` is asked only for documents whose number does not
    carry it (passports, permits): a minor may never be listed as dishonest (失信规定 Art 4).
    """

    role: str
    kind: str
    name: str
    id_number: str = ""
    credit_code: str = ""
    address: str = ""
    phone: str = ""
    legal_representative: str = ""
    former_names: list[str] = field(default_factory=list)
    id_type: str = ""
    nationality: str = ""
    birth_date: date | None = None


def _number_field(p: PartyData, id_type: str) -> tuple[str, str]:
    """(the form field holding the number, the number): a credit code in `credit_code`, others in `id_number`;
    an organisation's number typed into the other box is taken from there."""
    if id_type == IdType.USCC:
        return ("credit_code", p.credit_code) if p.credit_code.strip() else ("credit_code", p.id_number)
    if p.kind == Party.Kind.ORGANISATION and not p.id_number.strip() and p.credit_code.strip():
        return "id_number", p.credit_code
    return "id_number", p.id_number


def validate_party(idx: int, p: PartyData, today: date) -> dict[str, Any]:
    """The party's stored fields (plus `former_names` and `key`, its subject key), or ServiceError."""
    prefix = f"parties[{idx}]"
    label = f"第{idx + 1}位当事人"
    if p.role not in Party.Role.values:
        raise ServiceError(f"{label}的诉讼地位无效", field=f"{prefix}.role")
    if p.kind not in Party.Kind.values:
        raise ServiceError(f"{label}的主体类型无效", field=f"{prefix}.kind")
    name = (p.name or "").strip()
    if not name or len(name) > 128:
        raise ServiceError(f"{label}的姓名/名称不能为空且不超过128字", field=f"{prefix}.name")
    person = p.kind == Party.Kind.PERSON
    id_type = (p.id_type or "").strip() or (Party.IdType.RESIDENT_ID if person else Party.IdType.USCC)
    allowed = PERSON_ID_TYPES if person else ORGANISATION_ID_TYPES
    if id_type not in allowed:
        kinds = "、".join(str(Party.IdType(t).label) for t in allowed)
        raise ServiceError(
            f"{label}（{Party.Kind(p.kind).label}）的证件类型应为：{kinds}", field=f"{prefix}.id_type"
        )
    doc = IdType(id_type)
    number_field, number = _number_field(p, id_type)
    # The usual documents keep the wording clerks know (身份证号 / 统一社会信用代码).
    what = {IdType.RESIDENT_ID: "身份证号", IdType.USCC: "统一社会信用代码"}.get(doc, f"{doc.label}号码")
    if not (number or "").strip():
        kind_label = Party.Kind(p.kind).label
        raise ServiceError(f"{label}（{kind_label}）须填写{what}", field=f"{prefix}.{number_field}")
    try:
        ident = check_identity(doc, number, today, nationality=p.nationality)
    except IdentityError as exc:
        bad_nationality = doc in NATIONALITY_TYPES and "国籍" in str(exc)
        where = "nationality" if bad_nationality else number_field
        raise ServiceError(f"{label}{what}有误：{exc}", field=f"{prefix}.{where}") from exc
    out: dict[str, Any] = {
        "role": p.role,
        "kind": p.kind,
        "name": name,
        "id_type": id_type,
        "nationality": ident.nationality if doc in NATIONALITY_TYPES else "",
        "address": p.address.strip()[:200],
        "phone": p.phone.strip()[:32],
        "key": ident.key,
    }
    if doc is IdType.USCC:
        out["credit_code"] = ident.number
    else:
        out["id_number"] = ident.number
    if person:
        birth = ident.birth_date or p.birth_date
        if p.birth_date and ident.birth_date and p.birth_date != ident.birth_date:
            raise ServiceError(
                f"{label}的出生日期与证件号码中的出生日期{ident.birth_date.isoformat()}不一致",
                field=f"{prefix}.birth_date",
            )
        if birth and birth > today:
            raise ServiceError(f"{label}的出生日期不能晚于今天", field=f"{prefix}.birth_date")
        warnings = list(ident.warnings)
        if birth is None:
            warnings.append("证件号码不含出生日期且未填写出生日期，无法判断是否未成年，请补充")
        out.update(
            sex=ident.sex,
            birth_date=birth,
            is_minor=bool(birth and is_minor(birth, today)),
            id_warnings="；".join(warnings)[:200],
        )
    else:
        out["legal_representative"] = p.legal_representative.strip()[:64]
    out["former_names"] = [n.strip() for n in p.former_names if n and n.strip()][:10]
    return out


def party_data_of(party: Party, former_names: list[str]) -> PartyData:
    """A stored party as filing input again (a resumed 执恢 case copies the original's parties)."""
    return PartyData(
        role=party.role,
        kind=party.kind,
        name=party.name,
        id_number=party.id_number,
        credit_code=party.credit_code,
        address=party.address,
        phone=party.phone,
        legal_representative=party.legal_representative,
        former_names=former_names,
        id_type=party.id_type,
        nationality=party.nationality,
        birth_date=party.birth_date,
    )


def record_legal_representative(actor: Any, party: Party, name: str, *, changed_on: date) -> bool:
    """Bring a unit party's recorded legal representative up to a registered change (工商变更登记).

    Called by the domain that learned of the change (credit records it with the restriction it causes,
    限制消费规定 Art 3(2)) inside its own transaction; the party record then names the person every
    later document, notice and restriction takes. Returns False when the record already names them.
    """
    name = name.strip()[:64]
    if party.kind != Party.Kind.ORGANISATION:
        raise ServiceError("只有单位当事人有法定代表人", field="party")
    if not name:
        raise ServiceError("请填写新法定代表人姓名", field="new_name")
    if party.legal_representative == name:
        return False
    before = party.legal_representative
    with transaction.atomic():
        party.legal_representative = name
        party.save(update_fields=["legal_representative"])
        audit.record(
            actor,
            "party.legal_rep",
            object_type="Party",
            object_id=party.pk,
            case_id=party.case_id,
            before={"legal_representative": before},
            after={"legal_representative": name, "changed_on": changed_on},
        )
    return True
