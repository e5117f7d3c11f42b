"""Simulated border-control authorities (出入境边防检查): they put exit restrictions on and off control.

A border partner knows only the protocol: an item is `{"key", "action": "control" | "lift", "notice",
"name", "id_number", "court", "case_number", "document_number", "decided_on"}`. It refuses an item
without a name or an 18-character ID number (not retryable), acts at most once per idempotency key, holds
one control per notice (a re-sent control under a new key answers the same reference), and a lift of an
unknown control is accepted (the platform's lift may overtake a control it never answered).
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

BORDER_PARTNERS: dict[str, str] = {
    "BORDER-GD": "广东出入境边防检查总站",
    "BORDER-NIA": "国家移民管理局边防检查（全国）",
}


@dataclass
class Control:
    notice: str
    ref: str
    id_number: str
    name: str
    case_number: str
    lifted: bool = False


@dataclass
class Post:
    """What every simulated border partner holds, per platform notice and per idempotency key."""

    controls: dict[tuple[str, str], Control] = field(default_factory=dict)
    by_person: dict[tuple[str, str], list[Control]] = field(default_factory=dict)
    answers: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    executions: Counter[str] = field(default_factory=Counter)
    seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]

    def act(self, partner: str, item: dict[str, Any]) -> dict[str, Any]:
        key = str(item.get("key", ""))
        if (partner, key) in self.answers:
            return self.answers[(partner, key)]
        answer = self._act(partner, key, item)
        self.answers[(partner, key)] = answer
        return answer

    def _act(self, partner: str, key: str, item: dict[str, Any]) -> dict[str, Any]:
        action, idn = item.get("action"), str(item.get("id_number", ""))
        refuse = {"key": key, "status": "error", "retryable": False}
        if action not in ("control", "lift"):
            return {**refuse, "error": "unsupported_action", "reason": "不支持的操作"}
        if len(idn) != 18 or not item.get("name"):
            return {**refuse, "error": "bad_item", "reason": "布控信息不完整（缺少姓名或18位证件号码）"}
        self.executions[key] += 1
        people = self.by_person.setdefault((partner, idn), [])
        if action == "lift":
            for held in people:
                held.lifted = True
            return {"key": key, "status": "done", "result": {"lifted": len(people)}}
        notice = str(item.get("notice", ""))
        c: Control | None = self.controls.get((partner, notice))
        if c is None:
            c = Control(
                notice,
                f"{partner}-BK{next(self.seq):06d}",
                idn,
                str(item["name"]),
                str(item.get("case_number", "")),
            )
            self.controls[(partner, notice)] = c
            people.append(c)
        return {"key": key, "status": "done", "result": {"ref": c.ref}}

    def controlled(self, partner: str, id_number: str) -> bool:
        """Whether this border partner would stop the person at the gate now."""
        return any(not c.lifted for c in self.by_person.get((partner, id_number), []))

    def state(self) -> dict[str, Any]:
        return {
            "controls": [
                {"partner": p, "notice": c.notice, "ref": c.ref, "id_number": c.id_number, "lifted": c.lifted}
                for (p, _), c in self.controls.items()
            ],
            "executions": dict(self.executions),
        }
