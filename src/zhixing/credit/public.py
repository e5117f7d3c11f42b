"""What the public sees of a listing (失信规定 Art 6 fields) and the public rate-limit key.

Disclosure policy (why: docs/public-query-threat-model.md). Art 6 requires name, sex, age and ID number
for a natural person; together they must not narrow the ID number to a few candidates:

* the ID number shows only its first four characters (province and prefecture); the county, the birth
  date, the sequence (whose last digit is the sex) and the check character stay hidden;
* the age is the age reached in the current calendar year (current year − birth year), the same on every
  listing of the person and changing only on 1 January, so it discloses the birth year and nothing about
  the birth day (an age "on the listing date" or "today" would: several listings, or a watched change
  of the number, bracket the birthday);
* the sex is published (Art 6); it is the parity of the 17th digit, which stays hidden;
* every free-text field passes through `core.redaction` (no ID number, phone or street address typed
  into it is published in clear).

A unit's credit code is not personal data; it is shown with the general mask (`core.identity.mask_id`).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from zhixing.core import clientaddr
from zhixing.core.identity import mask_id
from zhixing.core.redaction import mask_resident_id, redact

from . import rules
from .models import Listing
from .queries import PublicQuery

PUBLIC_PER_MINUTE = 30  # public queries (and board views) per client IP and minute
PUBLIC_GLOBAL_PER_MINUTE = 1200  # all public queries together, per minute
ID_PER_CLIENT_PER_HOUR = 20  # queries with an ID number, per client IP and hour
ID_GLOBAL_PER_MINUTE = 120  # queries with an ID number, all clients together, per minute
ID_PER_TARGET_PER_DAY = 5  # queries with an ID number about one listed person (target_key), per day


def client_ip(request: HttpRequest) -> str:
    """The address the public rate limit is keyed on: `zhixing.core.clientaddr.client_ip` (the one
    source of client addresses, which believes X-Forwarded-For only from `settings.TRUSTED_PROXIES`)."""
    return clientaddr.client_ip(request)


def public_id(x: Listing) -> str:
    """The published form of the listed subject's ID number or credit code."""
    return mask_resident_id(x.subject_key) if x.kind == "person" else mask_id(x.subject_key)


def published_age(subject_key: str, today: date) -> int | None:
    """Age reached in `today`'s calendar year: the birth year is all it discloses (see module doc)."""
    birth_year = subject_key[6:10]
    return today.year - int(birth_year) if len(subject_key) == 18 and birth_year.isdigit() else None


def public_entry(x: Listing, today: date | None = None) -> dict[str, Any]:
    """Exactly the published fields of 失信规定 Art 6, under the disclosure policy of this module."""
    today = today or timezone.localdate()
    person = x.kind == "person"
    return {
        "name": x.name,
        "kind": x.get_kind_display(),
        "sex": {"M": "男", "F": "女"}.get(x.sex) if person else None,
        "age": published_age(x.subject_key, today) if person else None,
        "id_masked": public_id(x),
        "legal_representative": redact(x.legal_representative) or None if not person else None,
        "obligation": redact(x.obligation),
        "performance": redact(x.performance),
        "dishonest_act": f"{rules.GROUNDS[x.ground]}：{redact(x.dishonest_act)}",
        "basis_issuer": redact(x.case.issuing_body),
        "basis_number": x.case.basis_number,
        "case_number": x.case.number,
        "filed_on": x.case.filed_on,
        "court": x.court.name,
        "published_on": x.publish_on,
    }


def target_key(query: PublicQuery) -> str:
    """Whom an ID-number query is about, as far as the public list shows it: the name and the visible
    first four characters of the number. Every candidate an enumeration tries for one listed person
    shares this key, so the per-target budget bounds the whole enumeration (hashed: no name or number
    in the cache key).
    """
    return hashlib.sha256(f"{query.name}|{query.number[:4]}".encode()).hexdigest()[:32]
