"""The sandbox's own state: what each simulated institution has done, per idempotency key.

In memory (one process). `act()` is the only place an action is performed; it first looks the key up, so
a retried message returns the first answer and never acts twice. `executions` counts real performances
per key — tests assert it is 1 for every key, whatever crashed in between.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .holdings import PARTNERS, Holding, holdings, information

ZERO = Decimal("0.00")


@dataclass
class Behaviour:
    """How a simulated partner misbehaves (set per partner code through /_sandbox/config)."""

    delay: float = 0.0  # > 0: answer "accepted" now, deliver the result by callback after `delay` seconds
    hang: bool = False  # never answer (the client times out)
    fail_first: int = 0  # answer 503 to the first N batch messages (nothing is performed)
    lose_response_every: int = 0  # every Nth batch: perform, then answer 500 as if the response was lost

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Behaviour:
        return cls(
            delay=float(data.get("delay", 0)),
            hang=bool(data.get("hang", False)),
            fail_first=int(data.get("fail_first", 0)),
            lose_response_every=int(data.get("lose_response_every", 0)),
        )


@dataclass
class Ledger:
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # control actions: key → answer
    query_keys: set[str] = field(default_factory=set)  # queries are recomputed (deterministic)
    executions: Counter[str] = field(default_factory=Counter)
    received: int = 0
    frozen: dict[tuple[str, str], dict[str, Decimal]] = field(
        default_factory=dict
    )  # (partner, ref) → holder → amt
    seizures: dict[tuple[str, str], list[str]] = field(
        default_factory=dict
    )  # (partner, ref) → holders in order
    behaviour: dict[str, Behaviour] = field(default_factory=dict)
    batches_seen: Counter[str] = field(default_factory=Counter)
    pending: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # accepted, not yet delivered: key → answer
    late: dict[str, dict[str, Any]] = field(default_factory=dict)  # every accepted item's answer, for polling

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]

    def stats(self) -> dict[str, Any]:
        dup = sum(1 for n in self.executions.values() if n > 1)
        return {
            "received": self.received,
            "performed": sum(self.executions.values()),
            "keys": len(self.executions),
            "duplicated_keys": dup,
            "pending": len(self.pending),
        }

    def known(self, key: str) -> dict[str, Any] | None:
        return self.answers.get(key) or self.late.get(key)

    def act(self, partner: str, item: dict[str, Any]) -> dict[str, Any]:
        """Perform one item once; a repeated key returns the recorded answer."""
        key = str(item.get("key", ""))
        self.received += 1
        if key in self.answers:
            return self.answers[key]
        action = item.get("action")
        if action == "query" and key in self.query_keys:
            return self._query(partner, item)
        spec = PARTNERS.get(partner)
        if spec is None:
            return {"key": key, "status": "error", "error": "unknown_partner", "retryable": False}
        if action not in spec[3]:
            return {"key": key, "status": "error", "error": "unsupported_action", "retryable": False}
        self.executions[key] += 1
        if action == "query":
            self.query_keys.add(key)
            return self._query(partner, item)
        answer = self._control(partner, str(action), item)
        self.answers[key] = answer
        return answer

    def _query(self, partner: str, item: dict[str, Any]) -> dict[str, Any]:
        subject = str(item.get("subject", ""))
        target = str(item.get("asset_ref") or "")  # a targeted query: only the asset with this reference
        found = [h.as_json() for h in holdings(partner, subject) if not target or h.ref == target]
        for h in found:
            h["prior_seizures"] = int(h["prior_seizures"]) + len(  # type: ignore[call-overload]
                self.seizures.get((partner, str(h["ref"])), [])
            )
        return {
            "key": item.get("key"),
            "status": "done",
            "result": {"assets": found, "info": information(partner, subject, str(item.get("name", "")))},
        }

    def _find(self, partner: str, item: dict[str, Any]) -> Holding | None:
        ref = str(item.get("asset_ref", ""))
        return next((h for h in holdings(partner, str(item.get("subject", ""))) if h.ref == ref), None)

    def _control(self, partner: str, action: str, item: dict[str, Any]) -> dict[str, Any]:
        key = str(item.get("key"))
        holder = str(item.get("holder", ""))  # the court case asking
        h = self._find(partner, item)
        if h is None:
            return {"key": key, "status": "error", "error": "no_such_asset", "retryable": False}
        if h.closed:
            return {"key": key, "status": "error", "error": "account_closed", "retryable": False}
        slot = (partner, h.ref)
        amount = Decimal(str(item.get("amount") or "0"))
        if action == "freeze":
            holders = self.frozen.setdefault(slot, {})
            available = max(ZERO, h.value - sum(holders.values()))
            done = min(amount, available)
            holders[holder] = holders.get(holder, ZERO) + done
            return {"key": key, "status": "done", "result": {"frozen": str(done), "partial": done < amount}}
        if action == "seize":
            queue = self.seizures.setdefault(slot, [])
            if holder not in queue:
                queue.append(holder)
            rank = h.prior_seizures + queue.index(holder) + 1
            return {"key": key, "status": "done", "result": {"rank": rank, "queued": rank > 1}}
        if action == "deduct":
            held = self.frozen.get(slot, {}).get(holder, ZERO)
            done = min(amount, held)
            self.frozen.setdefault(slot, {})[holder] = held - done
            return {"key": key, "status": "done", "result": {"deducted": str(done)}}
        if action == "release":
            held = self.frozen.get(slot, {}).get(holder, ZERO)
            done = held if amount <= 0 else min(amount, held)
            if held:
                self.frozen[slot][holder] = held - done
            if holder in self.seizures.get(slot, []):
                self.seizures[slot].remove(holder)
            return {"key": key, "status": "done", "result": {"released": str(done)}}
        return {"key": key, "status": "done", "result": {"renewed": True}}
