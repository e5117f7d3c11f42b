"""A straightforward pandas implementation of the same indicators (the benchmark's baseline only).

pandas is a dev dependency; it is never imported by the application.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def _periodic(f: pd.DataFrame, direction: str, cfg: dict[str, Any]) -> pd.DataFrame:
    b = f[
        (f.direction == direction) & (f.kind == "normal") & (f.currency == "CNY") & (f.counterparty != "")
    ].copy()
    b["amt"] = b.amount.abs()
    med = b.groupby(["debtor_id", "counterparty"]).amt.transform("median")
    cnt = b.groupby(["debtor_id", "counterparty"]).amt.transform("count")
    core = b[(cnt >= 3) & ((b.amt - med).abs() <= cfg.get("band", 0.15) * med)].copy()
    core["month"] = core.ts.dt.to_period("M")
    g = core.groupby(["debtor_id", "counterparty"]).agg(
        months=("month", "nunique"),
        n=("amt", "size"),
        avg=("amt", "mean"),
        std=("amt", "std"),
        first=("ts", "min"),
        last=("ts", "max"),
        total=("amt", "sum"),
    )
    g = g[g.n >= 3]
    g["cv"] = g["std"].fillna(0) / g["avg"]
    g["period"] = (g["last"] - g["first"]).dt.total_seconds() / 86400 / (g.n - 1)
    return g[
        (g.months >= cfg["min_months"])
        & (g.cv <= cfg["max_cv"])
        & g.period.between(cfg["min_period"], cfg["max_period"])
        & (g.avg >= cfg["min_amount"])
    ]


def pandas_indicators(
    tx: pd.DataFrame, ctx: dict[str, pd.DataFrame], config: dict[str, Any]
) -> dict[str, Any]:
    debtors = ctx["debtors"]
    tx = tx.merge(debtors[["debtor_id", "p_start", "p_end", "effective_on"]], on="debtor_id")
    tx["amount"] = tx.amount.astype(float)
    tx["d"] = tx.ts.dt.normalize()
    f = tx[
        (~tx.dup)
        & (tx.kind != "ignored")
        & (tx.d >= pd.to_datetime(tx.p_start))
        & (tx.d <= pd.to_datetime(tx.p_end))
    ].copy()
    f["cat"] = None
    for name, pattern in reversed(list(config["categories"].items())):
        f.loc[f.text.str.contains(pattern, case=False, regex=True), "cat"] = name
    out: dict[str, Any] = {}
    cny = f[f.currency == "CNY"]
    out["totals"] = cny.groupby("debtor_id").apply(
        lambda g: pd.Series(
            {
                "in": g.amount[(g.direction == "in") & (g.kind == "normal")].sum(),
                "out": -g.amount[g.direction == "out"].sum(),
            }
        ),
        include_groups=False,
    )
    cny = cny.assign(month=cny.ts.dt.to_period("M"))
    out["monthly"] = cny.groupby(["debtor_id", "month", "direction"]).amount.sum()
    out["categories"] = f[f.cat.notna() & (f.direction == "out")].groupby(["debtor_id", "cat"]).amount.sum()
    out["regular"] = _periodic(f, "in", config["regular"])
    out["payees"] = _periodic(f, "out", config["payee"])
    rel = f[f.direction == "out"].merge(
        ctx["related"], left_on=["debtor_id", "counterparty"], right_on=["debtor_id", "name"]
    )
    out["related"] = (
        rel[rel.d >= pd.to_datetime(rel.effective_on)].groupby(["debtor_id", "counterparty"]).amount.sum()
    )
    markers = config["cash_markers"] + "|" + config["transfer_markers"]
    cand = f[
        (f.direction == "out")
        & f.text.str.contains(markers, regex=True)
        & ~f.counterparty.str.contains(config["org_markers"], regex=True)
    ]
    w = pd.Timedelta(days=config["evasion"]["window_days"])
    fr = ctx["freezes"].assign(lo=lambda x: pd.to_datetime(x.d) - w, hi=lambda x: pd.to_datetime(x.d))[
        ["debtor_id", "lo", "hi"]
    ]
    nt = debtors.assign(
        lo=lambda x: pd.to_datetime(x.notice_on), hi=lambda x: pd.to_datetime(x.notice_on) + w
    )[["debtor_id", "lo", "hi"]]
    anchors = pd.concat([fr, nt])
    m = cand.merge(anchors, on="debtor_id")
    m = m[(m.d >= m.lo) & (m.d <= m.hi)]
    out["evasion"] = m.groupby(["debtor_id", "lo"]).amount.sum()
    bal = f[f.balance.notna()].copy()
    bal["balance"] = bal.balance.astype(float)
    band = config["balance"]["band"]
    hit = False
    for t in config["balance"]["thresholds"]:
        hit = hit | ((bal.balance < t) & (bal.balance >= t * (1 - band)))
    bal["hit"] = hit
    out["balance"] = bal.groupby("debtor_id").hit.mean()
    restr = ctx["restrictions"]
    v = f[f.cat.isin(config["restricted_categories"]) & (f.direction == "out")].merge(restr, on="debtor_id")
    out["violations"] = v[
        (v.d >= pd.to_datetime(v.start_d)) & (v.end_d.isna() | (v.d <= pd.to_datetime(v.end_d)))
    ]
    rt_cfg = config["round_trip"]
    o = f[(f.direction == "out") & (-f.amount >= rt_cfg["min_amount"]) & (f.counterparty != "")]
    i = f[(f.direction == "in") & (f.amount >= rt_cfg["min_amount"])]
    rt = o.merge(i, on=["debtor_id", "counterparty"], suffixes=("_o", "_i"))
    rt = rt[
        (rt.ts_i > rt.ts_o)
        & (rt.ts_i <= rt.ts_o + pd.Timedelta(days=rt_cfg["window_days"]))
        & ((rt.amount_i + rt.amount_o).abs() <= rt_cfg["tolerance"] * -rt.amount_o)
    ]
    out["round_trips"] = rt.groupby("debtor_id").size()
    return out
