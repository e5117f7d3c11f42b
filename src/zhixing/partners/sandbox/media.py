"""Simulated media partners (媒体): they receive exposure notices, publish them to their areas, count views.

A media partner knows only the protocol: an item is `{"key", "action": "publish" | "withdraw",
"notice", "area_code", ...}`. It publishes a notice only for its own areas (division-code prefixes) and
refuses others with a reason; it acts at most once per idempotency key and holds at most one
publication per platform notice (a re-sent notice under a new key answers the same publication); a
withdrawn notice stops counting views, and a publication arriving after its withdrawal is refused.
Views are reported back to the platform as running totals, signed, to the notice's `callback_url`.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from zhixing.core import partner_protocol as protocol

from .holdings import partner_secret

log = logging.getLogger("zhixing.sandbox.media")

# code → (name, areas it publishes to: GB/T 2260 prefixes, 2 = province, 4 = city, 6 = county)
MEDIA_PARTNERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "MEDIA-GZTV": ("广州广播电视台", ("4401",)),
    "MEDIA-SZNEWS": ("深圳报业集团", ("4403",)),
    "MEDIA-GDAPP": ("粤省事·信用广东", ("44",)),
    "MEDIA-THRM": ("天河区融媒体中心", ("440106",)),
}


@dataclass
class Publication:
    partner: str
    notice: str
    key: str
    ref: str
    area_code: str
    callback_url: str
    views: int = 0
    withdrawn: bool = False


@dataclass
class Desk:
    """What every simulated media partner has published, per platform notice and per idempotency key."""

    publications: dict[tuple[str, str], Publication] = field(default_factory=dict)
    withdrawn: set[tuple[str, str]] = field(default_factory=set)  # tombstones, even for unknown notices
    answers: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (partner, key) → answer
    executions: Counter[str] = field(default_factory=Counter)
    seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    ticks: int = 0

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]

    def act(self, partner: str, item: dict[str, Any], callback_url: str) -> dict[str, Any]:
        key = str(item.get("key", ""))
        if (partner, key) in self.answers:
            return self.answers[(partner, key)]
        action = item.get("action")
        if action == "publish":
            answer = self._publish(partner, key, item, callback_url)
        elif action == "withdraw":
            answer = self._withdraw(partner, key, str(item.get("notice", "")))
        else:
            answer = {"key": key, "status": "error", "error": "unsupported_action", "reason": "不支持的操作"}
        self.answers[(partner, key)] = answer
        return answer

    def _publish(self, partner: str, key: str, item: dict[str, Any], callback_url: str) -> dict[str, Any]:
        notice, area = str(item.get("notice", "")), str(item.get("area_code", ""))
        refuse = {"key": key, "status": "error", "retryable": False}
        if not notice or not area or not item.get("name"):
            return {**refuse, "error": "bad_item", "reason": "曝光内容不完整（缺少编号、地区或姓名）"}
        if (partner, notice) in self.withdrawn:
            return {**refuse, "error": "withdrawn", "reason": "该曝光已由法院撤回，不再发布"}
        name, areas = MEDIA_PARTNERS[partner]
        if not any(area.startswith(a) for a in areas):
            return {
                **refuse,
                "error": "area_not_covered",
                "reason": f"{name}仅受理{'、'.join(areas)}地区的曝光，"
                f"不覆盖{item.get('area_name') or area}（{area}）",
            }
        pub = self.publications.get((partner, notice))
        if pub is None:  # one publication per notice, whatever key re-sends it
            self.executions[key] += 1
            pub = Publication(partner, notice, key, f"{partner}-{next(self.seq):06d}", area, callback_url)
            self.publications[(partner, notice)] = pub
        return {"key": key, "status": "done", "result": {"ref": pub.ref}}

    def _withdraw(self, partner: str, key: str, notice: str) -> dict[str, Any]:
        self.executions[key] += 1
        self.withdrawn.add((partner, notice))
        pub = self.publications.get((partner, notice))
        if pub is not None:
            pub.withdrawn = True
        return {"key": key, "status": "done", "result": {"withdrawn": True, "known": pub is not None}}

    def tick(self, views: int | None = None) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """Add views to every live publication; returns the running totals per (partner, callback URL)."""
        self.ticks += 1
        out: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for pub in self.publications.values():
            if pub.withdrawn:
                continue
            seed = hashlib.sha256(f"{pub.key}|{self.ticks}".encode()).digest()
            pub.views += views if views is not None else 50 + int.from_bytes(seed[:2], "big") % 950
            out.setdefault((pub.partner, pub.callback_url), []).append(
                {"notice": int(pub.notice) if pub.notice.isdigit() else pub.notice, "impressions": pub.views}
            )
        return out

    def state(self) -> dict[str, Any]:
        return {
            "publications": [
                {
                    "partner": p.partner,
                    "notice": p.notice,
                    "ref": p.ref,
                    "area_code": p.area_code,
                    "views": p.views,
                    "withdrawn": p.withdrawn,
                }
                for p in self.publications.values()
            ],
            "executions": dict(self.executions),
        }


def report(code: str, url: str, reports: list[dict[str, Any]], seq: int) -> bool:
    """POST a signed impressions report (runs in a thread). True when the platform accepted it."""
    if not url:
        return False
    body = protocol.encode_body({"partner": code, "reports": reports})
    key = f"imp-{code}-{seq}"
    headers = protocol.sign_headers(code, partner_secret(code), "POST", urlsplit(url).path, body, key)
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310
            return bool(200 <= resp.status < 300)
    except Exception as exc:  # the platform may be down: the next tick reports the new totals
        log.warning("sandbox media report to %s failed: %s", url, exc)
        return False
