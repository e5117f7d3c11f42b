"""Reverse proxies whose X-Forwarded-For we believe (per-client rate limits of the public query).

`ZHIXING_TRUSTED_PROXIES` is a comma-separated list of addresses or CIDR blocks (e.g.
`10.0.0.0/8,127.0.0.1`). Default empty: the TCP peer (REMOTE_ADDR) is the client and X-Forwarded-For
is ignored, since any client can send that header.
"""

import ipaddress

from .env import SettingsError, env_str


def _networks(raw: str) -> list[str]:
    out = []
    for item in (x.strip() for x in raw.split(",")):
        if not item:
            continue
        try:
            out.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError as exc:
            raise SettingsError(f"ZHIXING_TRUSTED_PROXIES: {item!r} is not an address or CIDR") from exc
    return out


TRUSTED_PROXIES: list[str] = _networks(env_str("ZHIXING_TRUSTED_PROXIES", ""))
