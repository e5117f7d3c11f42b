"""What the public sees of a listing (失信规定 Art 6 fields, ID masked) and the public rate-limit key."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhixing.core import clientaddr
from zhixing.core.identity import mask_id

from . import rules
from .models import Listing

PUBLIC_PER_MINUTE = 30  # public queries per client IP and minute


def client_ip(request: HttpRequest) -> str:
    """The address the public rate limit is keyed on: `zhixing.core.clientaddr.client_ip` (the one
    source of client addresses, which believes X-Forwarded-For only from `settings.TRUSTED_PROXIES`)."""
    return clientaddr.client_ip(request)


def public_entry(x: Listing) -> dict[str, Any]:
    """Exactly the published fields of 失信规定 Art 6, with the ID number masked."""
    return {
        "name": x.name,
        "kind": x.get_kind_display(),
        "sex": {"M": "男", "F": "女"}.get(x.sex) if x.kind == "person" else None,
        "age": x.age if x.kind == "person" else None,
        "id_masked": mask_id(x.subject_key),
        "legal_representative": x.legal_representative or None if x.kind != "person" else None,
        "obligation": x.obligation,
        "performance": x.performance,
        "dishonest_act": f"{rules.GROUNDS[x.ground]}：{x.dishonest_act}",
        "basis_issuer": x.case.issuing_body,
        "basis_number": x.case.basis_number,
        "case_number": x.case.number,
        "filed_on": x.case.filed_on,
        "court": x.court.name,
        "published_on": x.publish_on,
    }
