"""Precision and recall of each rule against the planted truth of `synthetic` (no ORM).

    python -m zhixing.analytics.quality [n_debtors rows_per_debtor seed]

prints the table kept in docs/analytics-quality.md; tests/analytics/test_quality.py fails when a
rule drops below the recorded values.
"""

from __future__ import annotations

import sys
from typing import Any

import duckdb

from . import indicators, synthetic
from .ruleconfig import DEFAULT_CONFIG
from .rules import evaluate


def measure(
    n_debtors: int = 600, rows_per_debtor: int = 300, seed: int = 7, config: dict[str, Any] | None = None
) -> dict[str, Any]:
    cfg = config or DEFAULT_CONFIG
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    try:
        synthetic.generate(con, n_debtors, rows_per_debtor, seed)
        synthetic.ingest(con)
        ind = indicators.compute(con, cfg)
        truth = synthetic.truth(con)
    finally:
        con.close()
    fired = {d: {f["rule"] for f in evaluate(ind[d], cfg, {"claim": 100000})["findings"]} for d in truth}
    scores = {d: evaluate(ind[d], cfg, {"claim": 100000})["score"] for d in truth}
    table: dict[str, dict[str, float]] = {}
    for behaviour, rule in synthetic.RULE_FOR.items():
        tp = sum(1 for d in truth if truth[d][behaviour] and rule in fired[d])
        fp = sum(1 for d in truth if not truth[d][behaviour] and rule in fired[d])
        fn = sum(1 for d in truth if truth[d][behaviour] and rule not in fired[d])
        table[rule] = {
            "planted": tp + fn,
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
        }
    honest = [d for d in truth if not any(truth[d].values())]
    able = cfg["thresholds"]["able"]
    return {
        "rules": table,
        "honest": len(honest),
        "honest_flagged": sum(1 for d in honest if scores[d] >= able),
        "debtors": len(truth),
    }


def markdown(result: dict[str, Any]) -> str:
    lines = ["| rule | planted | TP | FP | FN | precision | recall |", "|---|---|---|---|---|---|---|"]
    for rule, r in result["rules"].items():
        cells = [rule, r["planted"], r["tp"], r["fp"], r["fn"], r["precision"], r["recall"]]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    lines.append(
        f"\nHonest poor debtors: {result['honest']} of {result['debtors']}; scored ≥ the 'able' threshold: "
        f"{result['honest_flagged']}."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    n, k, seed = ([int(a) for a in sys.argv[1:4]] + [600, 300, 7][len(sys.argv[1:4]) :])[:3]
    print(markdown(measure(n, k, seed)))
