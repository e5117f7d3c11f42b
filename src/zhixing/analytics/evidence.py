"""analytics' part of a refusal-crime evidence bundle (`zhixing.cases.evidence`): the debtor's latest
ability-to-pay profile — score, the rules it hit with their evidence, and the recommendations."""

from __future__ import annotations

from typing import Any

from . import queries


def profile_summary(case: Any, party: Any) -> list[tuple[str, str]]:
    p = queries.latest_profile(party.pk)
    if p is None:
        return [("05_履行能力画像.txt", "尚未生成履行能力画像。\n")]
    lines = [
        f"画像编号：{p.pk}；生成时间：{p.computed_at:%Y-%m-%d %H:%M}",
        f"分析期间：{p.period_start:%Y-%m-%d} 至 {p.period_end:%Y-%m-%d}",
        f"履行能力评分：{p.score}",
        "命中规则：",
        *(f"  - {f.get('label', f.get('rule', ''))}：{f.get('evidence', '')}" for f in p.findings or []),
        "处置建议：",
        *(f"  - {r if isinstance(r, str) else r.get('text', r)}" for r in p.recommendations or []),
    ]
    return [("05_履行能力画像.txt", "\n".join(lines) + "\n")]


def install() -> None:
    from zhixing.cases import evidence

    evidence.contribute("analytics", profile_summary)
