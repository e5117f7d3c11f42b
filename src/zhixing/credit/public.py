"""What the public sees of a listing (失信规定 Art 6 fields, ID masked) and the public rate-limit key."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from zhixing.core.identity import mask_id

from . import rules
from .models import Listing

PUBLIC_PER_MINUTE = 30  # public queries per client IP and minute


@lru_cache(maxsize=8)
def _trusted(cidrs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(c, strict=False) for c in cidrs)


def _is_trusted(addr: str, nets: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    return any(ip in n for n in nets)


def client_ip(request: HttpRequest) -> str:
    """The address the public rate limit is keyed on.

    The TCP peer (REMOTE_ADDR), unless that peer is one of `settings.TRUSTED_PROXIES`: then the
    right-most X-Forwarded-For entry that is not itself a trusted proxy (each proxy appends the address
    it received the request from, so entries to the left of it may be forged by the client). A spoofed
    X-Forwarded-For from an untrusted peer is ignored.
    """
    peer = str(request.META.get("REMOTE_ADDR", "") or "unknown")
    nets = _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not nets or not _is_trusted(peer, nets):
        return peer
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _is_trusted(hop, nets):
            # A garbled entry is not an address we can key on: count it against the proxy itself.
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer
    return peer  # every hop is a trusted proxy (internal traffic)


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
