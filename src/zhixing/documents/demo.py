"""Which documents a set of cases can have: the demo's documents and the benchmark's mixed batch.

Walks the registry (so it knows no domain): for each kind, the cases' records it can be made from, keeping
those whose builder accepts them. The facts a judge would type (a fine's amount, an auction's buyer) come
from `DEMO_INPUTS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from zhixing.core.errors import ServiceError

from . import kinds
from .services import Request

DEMO_INPUTS: dict[str, dict[str, str]] = {
    "fine_decision": {"act": "被执行人无正当理由拒不报告财产情况，经本院传唤拒不到庭", "amount": "50000"},
    "detention_decision": {
        "act": "被执行人隐匿、转移已被本院查封的财产",
        "days": "10",
        "custody": "当地公安机关拘留所",
    },
    "summons_warrant": {"act": "被执行人经两次传唤无正当理由拒不到场", "hours": "8"},
    "search_warrant": {"act": "被执行人隐匿已被查封的车辆，经责令拒不交出", "place": "被执行人住所及其车库"},
    "sale_confirmation": {
        "buyer": "刘某某",
        "price": "350000",
        "sale_date": "2026年02月26日",
        "platform": "人民法院诉讼资产网",
    },
}


def candidates(cases: Iterable[Any], per_kind: int) -> list[Request]:
    """Up to `per_kind` makeable documents of each kind among `cases`, kinds in case-life order."""
    found: dict[str, list[Request]] = {k.code: [] for k in kinds.all_kinds()}
    for case in cases:
        for kind in kinds.all_kinds():
            bucket = found[kind.code]
            if len(bucket) >= per_kind:
                continue
            sources = [s for s, _ in kind.sources(case)][:2] if kind.sources else [""]
            inputs = DEMO_INPUTS.get(kind.code, {})
            for source in sources:
                try:
                    kinds.context_for(kind, case, source, inputs)
                except ServiceError:
                    continue
                bucket.append(Request(case, kind.code, source, dict(inputs)))
                if len(bucket) >= per_kind:
                    break
    return [r for code in found for r in found[code]]
