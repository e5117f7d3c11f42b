"""A simulated SMS gateway (短信网关): the platform sends texts to parties' phones through it.

The gateway knows only the protocol: an item is `{"key", "phone", "text"}`. It sends at most once per
idempotency key (a repeated key answers the first answer), refuses an item whose phone is not an
11-digit mainland mobile number (not retryable: the platform falls back to the party's next channel),
and answers a sent text "done" with its delivery receipt (`delivered_at`, the handset's report).

Failure injection (`POST /_sandbox/sms/config`): `fail_every` n refuses every nth new item as
retryable ("网关繁忙"), `unreachable` lists phones whose texts never reach the handset (refused, not
retryable). The outbox (`GET /_sandbox/sms?phone=…`) is what a test reads a verification code from.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SMS_PARTNERS: dict[str, str] = {"SMS-GW": "短信网关（模拟）"}
MOBILE = re.compile(r"^1[3-9]\d{9}$")
OUTBOX_KEEP = 2000  # the outbox is for reading codes, not an archive: the newest texts only


@dataclass
class Gateway:
    answers: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    executions: Counter[str] = field(default_factory=Counter)
    fail_every: int = 0
    unreachable: set[str] = field(default_factory=set)
    seen: int = 0

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]

    def configure(self, data: dict[str, Any]) -> None:
        self.fail_every = int(data.get("fail_every", 0))
        self.unreachable = {str(p) for p in data.get("unreachable", [])}

    def act(self, partner: str, item: dict[str, Any]) -> dict[str, Any]:
        key = str(item.get("key", ""))
        if (partner, key) in self.answers:
            return self.answers[(partner, key)]
        phone, text = str(item.get("phone", "")), str(item.get("text", ""))
        if not MOBILE.match(phone) or not text:
            answer = {"key": key, "status": "error", "retryable": False, "reason": "号码无效或内容为空"}
        elif phone in self.unreachable:
            answer = {"key": key, "status": "error", "retryable": False, "reason": "空号或停机"}
        else:
            self.seen += 1
            if self.fail_every and self.seen % self.fail_every == 0:
                # Not remembered: the platform's retry under the same key is a new attempt.
                return {"key": key, "status": "error", "retryable": True, "reason": "网关繁忙"}
            self.executions[key] += 1
            now = datetime.now(UTC).isoformat()
            self.outbox.append({"key": key, "phone": phone, "text": text, "at": now})
            del self.outbox[:-OUTBOX_KEEP]
            answer = {"key": key, "status": "done", "result": {"delivered_at": now}}
        self.answers[(partner, key)] = answer
        return answer

    def state(self, phone: str = "") -> dict[str, Any]:
        texts = [m for m in self.outbox if not phone or m["phone"] == phone]
        return {"outbox": texts[-50:], "sent": sum(self.executions.values())}
