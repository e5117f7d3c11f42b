"""The sandbox's own state: what each simulated institution has done, per idempotency key.

In memory (one process). `act()` is the only place an action is performed; it first looks the key up, so
a retried message returns the first answer and never acts twice. `executions` counts real performances
per key — tests assert it is 1 for every key, whatever crashed in between.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .holdings import PARTNERS, Holding, holdings, information

ZERO = Decimal("0.00")
SHANGHAI = ZoneInfo("Asia/Shanghai")


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
    # 轮候: who asked each seizure (the seize key and where to tell them), other courts' seizures lifted,
    # and the notices waiting to be delivered: (callback url, partner, notice).
    subscribers: dict[tuple[tuple[str, str], str], tuple[str, str]] = field(default_factory=dict)
    slots: dict[tuple[str, str], Holding] = field(default_factory=dict)
    prior_lifted: Counter[tuple[str, str]] = field(default_factory=Counter)
    outbox: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    delivered: list[str] = field(default_factory=list)  # keys of notice messages the platform accepted

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
            "notices_delivered": len(self.delivered),
        }

    def known(self, key: str) -> dict[str, Any] | None:
        return self.answers.get(key) or self.late.get(key)

    def act(self, partner: str, item: dict[str, Any], callback: str = "") -> dict[str, Any]:
        """Perform one item once; a repeated key returns the recorded answer.

        `callback` is where the platform takes notices (a queued seizure that moved up or took effect).
        """
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
        answer = self._control(partner, str(action), item, callback)
        self.answers[key] = answer
        return answer

    def _query(self, partner: str, item: dict[str, Any]) -> dict[str, Any]:
        subject = str(item.get("subject", ""))
        target = str(item.get("asset_ref") or "")  # a targeted query: only the asset with this reference
        found = [h.as_json() for h in holdings(partner, subject) if not target or h.ref == target]
        for h in found:
            slot = (partner, str(h["ref"]))
            prior = max(0, int(h["prior_seizures"]) - self.prior_lifted[slot])  # type: ignore[call-overload]
            h["prior_seizures"] = prior + len(self.seizures.get(slot, []))
        return {
            "key": item.get("key"),
            "status": "done",
            "result": {"assets": found, "info": information(partner, subject, str(item.get("name", "")))},
        }

    def _find(self, partner: str, item: dict[str, Any]) -> Holding | None:
        ref = str(item.get("asset_ref", ""))
        return next((h for h in holdings(partner, str(item.get("subject", ""))) if h.ref == ref), None)

    def _rank(self, slot: tuple[str, str], holder: str) -> int:
        """A holder's place: other courts' seizures still registered first, then ours in order."""
        h = self.slots[slot]
        return max(0, h.prior_seizures - self.prior_lifted[slot]) + self.seizures[slot].index(holder) + 1

    def _ranks(self, slot: tuple[str, str]) -> dict[str, int]:
        return {holder: self._rank(slot, holder) for holder in self.seizures.get(slot, [])}

    def _notify_moved(self, slot: tuple[str, str], before: dict[str, int]) -> None:
        """Queue a notice to every holder whose place improved (查封规定 Art 26: the first takes effect)."""
        today = datetime.now(SHANGHAI).date().isoformat()
        for holder, rank in self._ranks(slot).items():
            if rank < before.get(holder, rank + 1) and (slot, holder) in self.subscribers:
                key, url = self.subscribers[(slot, holder)]
                notice = {
                    "kind": "queue_advanced",
                    "request": key,
                    "asset_ref": slot[1],
                    "holder": holder,
                    "rank": rank,
                    "effective": rank == 1,
                    "effective_on": today,
                }
                if url:
                    self.outbox.append((url, slot[0], notice))

    def lift_prior(self, partner: str, ref: str) -> int:
        """Another court lifted its earlier seizure of (partner, ref): the queue moves up. Notices queued."""
        slot = (partner, ref)
        h = self.slots.get(slot)
        if h is None or h.prior_seizures - self.prior_lifted[slot] <= 0:
            return 0
        before = self._ranks(slot)
        self.prior_lifted[slot] += 1
        self._notify_moved(slot, before)
        return 1

    def drain(self) -> list[tuple[str, str, dict[str, Any]]]:
        out, self.outbox = self.outbox, []
        return out

    def _control(self, partner: str, action: str, item: dict[str, Any], callback: str = "") -> dict[str, Any]:
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
            self.slots[slot] = h
            if holder not in queue:
                queue.append(holder)
                self.subscribers[(slot, holder)] = (key, callback)
            rank = self._rank(slot, holder)
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
                before = self._ranks(slot)
                self.seizures[slot].remove(holder)
                self.subscribers.pop((slot, holder), None)
                self._notify_moved(slot, before)
            return {"key": key, "status": "done", "result": {"released": str(done)}}
        # renew (续行): the registration runs on for one more term from the day after its expiry.
        holds = holder in self.seizures.get(slot, []) or self.frozen.get(slot, {}).get(holder, ZERO) > 0
        return {"key": key, "status": "done", "result": {"renewed": True, "held": holds}}
