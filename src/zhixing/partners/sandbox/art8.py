"""Simulated Art 8 recipients (失信通报对象): the credit-reporting centre, employers, superior departments.

A recipient knows only the protocol: an item is `{"key", "action": "listed" | "updated" | "removed",
"notice", "id", "name", ...}` ("updated": a published item changed — the 履行情况, a corrected item, a
unit's new legal representative; `previous_id` names the record when the ID itself was corrected). It
records each notice at most once per idempotency key (a repeated key answers the first answer again).
The credit-reporting centre records the entry at once and answers `done` with its reference; an employer
or a superior department answers `accepted` (received: a person must sign for it) and acknowledges
later with a signed callback
`{"partner", "results": [{"key", "status": "done", "result": {"ref"}}]}` to the item's `callback_url`,
after `ZHIXING_SANDBOX_ART8_DELAY` seconds (default 2; 0 = only on `POST /_sandbox/art8/ack`). A notice
without an ID number or name is refused.
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

log = logging.getLogger("zhixing.sandbox.art8")

# code → (name, kind: credit_bureau / employer / superior)
RECIPIENTS: dict[str, tuple[str, str]] = {
    "PBOC-CRC": ("中国人民银行征信中心", "credit_bureau"),
    "EMP-GZTAX": ("国家税务总局广州市税务局", "employer"),
    "EMP-THEDU": ("广州市天河区教育局", "employer"),
    "SUP-GZSASAC": ("广州市人民政府国有资产监督管理委员会", "superior"),
    "SUP-GDDRC": ("广东省发展和改革委员会", "superior"),
}


@dataclass
class Registry:
    """What every simulated recipient received, per idempotency key, and acknowledgements owed."""

    answers: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)
    executions: Counter[str] = field(default_factory=Counter)
    owed: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)  # (code, url) → acks
    seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]

    def act(self, code: str, item: dict[str, Any], callback_url: str) -> dict[str, Any]:
        key = str(item.get("key", ""))
        if (code, key) in self.answers:
            return self.answers[(code, key)]
        _name, kind = RECIPIENTS[code]
        answer: dict[str, Any]
        if item.get("action") not in ("listed", "updated", "removed"):
            answer = {
                "key": key,
                "status": "error",
                "error": "unsupported_action",
                "reason": "不支持的通报事项",
            }
        elif not item.get("id") or not item.get("name"):
            answer = {
                "key": key,
                "status": "error",
                "error": "bad_item",
                "retryable": False,
                "reason": "通报内容不完整（缺少身份号码或姓名）",
            }
        else:
            self.executions[key] += 1
            ref = f"{code}-{next(self.seq):06d}"
            self.records.append(
                {
                    "partner": code,
                    "key": key,
                    "notice": item.get("notice"),
                    "action": item["action"],
                    "ref": ref,
                }
            )
            if kind == "credit_bureau":
                answer = {"key": key, "status": "done", "result": {"ref": ref}}
            else:
                answer = {"key": key, "status": "accepted"}
                ack = {"key": key, "status": "done", "result": {"ref": ref}}
                self.owed.setdefault((code, callback_url), []).append(ack)
        self.answers[(code, key)] = answer
        return answer

    def drain(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        out, self.owed = self.owed, {}
        return out

    def state(self) -> dict[str, Any]:
        return {
            "records": list(self.records),
            "executions": dict(self.executions),
            "owed": sum(len(v) for v in self.owed.values()),
        }


def acknowledge(code: str, url: str, results: list[dict[str, Any]]) -> bool:
    """POST a signed acknowledgement (runs in a thread). True when the platform accepted it."""
    if not url:
        return False
    body = protocol.encode_body({"partner": code, "results": results})
    key = "ack-" + hashlib.sha256(body).hexdigest()[:40]
    headers = protocol.sign_headers(code, partner_secret(code), "POST", urlsplit(url).path, body, key)
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310
            return bool(200 <= resp.status < 300)
    except Exception as exc:  # the platform may be down: the acknowledgement is kept for the next try
        log.warning("sandbox art8 acknowledgement to %s failed: %s", url, exc)
        return False
