"""Ability-to-pay indicators as DuckDB SQL over the normalised flows (no ORM, no pandas).

The caller prepares a DuckDB connection with these relations (see `store.py`):

- `tx(row_id, debtor_id, ts, amount DECIMAL(18,2), currency, direction, kind, counterparty,
  cp_account, text, balance DECIMAL(18,2), dup BOOLEAN)` — signed amounts in yuan, + in / − out
  (foreign-currency lines are converted on import, `currency` is the original one, see exchange.py);
- `travel(row_id, debtor_id, kind, start_ts, end_ts, carrier, seat_class, country, amount)`;
- `debtors(debtor_id, p_start, p_end, effective_on, deadline, filed_on, notice_on, claim)`;
- `related(debtor_id, name[, account])` (matched through name variants, `related.py`), `restrictions(debtor_id, start_d, end_d)`, `freezes(debtor_id, d)`.

`compute(con, config)` returns {debtor_id: indicators}; the same SQL serves one debtor's profile, a
court's batch and the 18-million-row benchmark.
"""

# ruff: noqa: S608, E501  (SQL assembled from constants and rule-set configuration, never request data)

# ruff: noqa: S608  -- SQL text is assembled from constants and rule-set configuration, never request data

from __future__ import annotations

from collections import defaultdict
from typing import Any

from . import cadence, consumption, related, ruleconfig, spending
from .store import insert

EVIDENCE_LIMIT = 50

# The imported rows behind each total of `totals()`, as a filter of the rows page (`queries_rows.RowFilter`
# query-string names); the link adds the profile's period and "counted rows only" (no duplicate, ignored
# or excluded line). A finding's rows are its evidence ids (`profile` + `rule` on the same page).
ROW_FILTERS: dict[str, dict[str, str]] = {
    "total_in": {"direction": "in", "kind": "normal"},
    "total_out": {"direction": "out"},
    "refunds": {"kind": "refund"},
    "foreign_lines": {"foreign": "1"},
    "lines": {},
}


DOMESTIC = "('', '中国', 'CN', 'CHN', '中国大陆')"


def prepare(con: Any, config: dict[str, Any]) -> None:
    """Tables every indicator reads: in-period, de-duplicated, reversal-cancelled, categorised flows.

    Categories come from the rule set's merchant list and keywords (`spending.py`), run once per
    distinct text (a few thousand), not once per line. A foreign-currency line without a category of
    its own is travel abroad only with evidence (a foreign place in its text, or a travel record abroad
    from the day before to the day after), else `foreign`; a line of a "high" item under its
    `category_min_amount` is left uncategorised.
    """
    texts = [r[0] for r in con.execute("SELECT DISTINCT coalesce(text, '') FROM tx").fetchall()]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE texts (text VARCHAR, cat VARCHAR, cashlike BOOLEAN, place BOOLEAN)"
    )
    if texts:
        insert(con, "texts", ["VARCHAR", "VARCHAR", "BOOLEAN", "BOOLEAN"], spending.classify(texts, config))
    con.execute("CREATE OR REPLACE TEMP TABLE cat_min (cat VARCHAR, floor DECIMAL(18,2))")
    floors = list(config.get("category_min_amount", {}).items())
    if floors:
        con.executemany("INSERT INTO cat_min VALUES (?, ?)", floors)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE cps AS
        SELECT row_number() OVER (ORDER BY cp) AS cp_id, cp, regexp_matches(cp, '{config["org_markers"]}') AS is_org
        FROM (SELECT DISTINCT coalesce(counterparty, '') AS cp FROM tx)
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE f AS
        WITH lines AS (
          SELECT t.row_id, t.debtor_id, t.ts, CAST(t.ts AS DATE) AS d, t.amount, t.currency, t.direction,
                 t.kind, c.cp_id, c.cp <> '' AS has_cp, coalesce(t.cp_account, '') AS cp_account,
                 t.balance, x.cat AS text_cat, x.place, x.cashlike, c.is_org
          FROM tx t JOIN debtors b ON t.debtor_id = b.debtor_id
          JOIN texts x ON coalesce(t.text, '') = x.text
          JOIN cps c ON coalesce(t.counterparty, '') = c.cp
          WHERE NOT t.dup AND t.kind <> 'ignored' AND CAST(t.ts AS DATE) BETWEEN b.p_start AND b.p_end),
        abroad_days AS (
          SELECT DISTINCT debtor_id, CAST(start_ts AS DATE) - 1 AS lo, CAST(end_ts AS DATE) + 1 AS hi FROM travel
          WHERE coalesce(country, '') NOT IN {DOMESTIC})
        SELECT l.row_id, l.debtor_id, l.ts, l.d, l.amount, l.currency, l.direction, l.kind, l.cp_id, l.has_cp,
          l.cp_account, l.balance, l.cashlike, l.is_org,
          CASE
            WHEN l.text_cat IS NOT NULL AND abs(l.amount) < coalesce(m.floor, 0) THEN NULL
            WHEN l.text_cat IS NOT NULL OR coalesce(l.currency, 'CNY') = 'CNY' THEN l.text_cat
            WHEN l.place OR EXISTS (SELECT 1 FROM abroad_days a WHERE a.debtor_id = l.debtor_id
              AND l.d BETWEEN a.lo AND a.hi) THEN '{spending.ABROAD}'
            ELSE '{spending.FOREIGN}' END AS cat
        FROM lines l LEFT JOIN cat_min m ON l.text_cat = m.cat
        """
    )
    # A reversal (冲正) cancels the latest earlier line of the opposite amount within 30 days.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE reversed AS
        SELECT r.row_id AS rid, (
            SELECT o.row_id FROM f o
            WHERE o.debtor_id = r.debtor_id AND o.kind = 'normal' AND o.amount = -r.amount
              AND o.ts <= r.ts AND o.ts >= r.ts - INTERVAL 30 DAY
            ORDER BY o.ts DESC, o.row_id DESC LIMIT 1) AS oid
        FROM (SELECT * FROM f WHERE kind = 'reversal') r
        """
    )
    if con.execute("SELECT count(*) FROM reversed").fetchone()[0]:
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE eff AS
            SELECT * FROM f WHERE kind <> 'reversal' AND row_id NOT IN (
              SELECT oid FROM reversed WHERE oid IS NOT NULL)
            """
        )
    else:
        con.execute("CREATE OR REPLACE TEMP VIEW eff AS SELECT * FROM f")


def _rows(con: Any, sql: str, params: list[Any] | dict[str, Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def totals(con: Any) -> list[dict[str, Any]]:
    return _rows(
        con,
        """
        SELECT debtor_id,
          coalesce(sum(amount) FILTER (direction = 'in' AND kind = 'normal'), 0) AS total_in,
          coalesce(-sum(amount) FILTER (direction = 'out'), 0)
            - coalesce(sum(amount) FILTER (kind = 'refund'), 0) AS total_out,
          coalesce(sum(amount) FILTER (kind = 'refund'), 0) AS refunds,
          count(*) AS lines,
          count(*) FILTER (currency <> 'CNY') AS foreign_lines
        FROM eff GROUP BY debtor_id
        """,
    )


def monthly(con: Any) -> list[dict[str, Any]]:
    return _rows(
        con,
        """
        SELECT debtor_id, strftime(m, '%Y-%m') AS month, amount_in, amount_out FROM (
          SELECT debtor_id, date_trunc('month', d) AS m,
            coalesce(sum(amount) FILTER (direction = 'in' AND kind = 'normal'), 0) AS amount_in,
            coalesce(-sum(amount) FILTER (direction = 'out'), 0)
              - coalesce(sum(amount) FILTER (kind = 'refund'), 0) AS amount_out
          FROM eff GROUP BY ALL)
        ORDER BY debtor_id, month
        """,
    )


def categories(con: Any) -> list[dict[str, Any]]:
    """Net spending per category (refunds of the same category subtracted)."""
    return _rows(
        con,
        f"""
        SELECT debtor_id, cat,
          coalesce(-sum(amount) FILTER (direction = 'out'), 0) - coalesce(sum(amount) FILTER (kind = 'refund'), 0) AS net,
          count(*) FILTER (direction = 'out') AS n,
          list(row_id ORDER BY ts)[1:{EVIDENCE_LIMIT}] AS ids
        FROM eff WHERE cat IS NOT NULL AND (direction = 'out' OR kind = 'refund')
        GROUP BY ALL
        """,
    )


def _periodic(con: Any, direction: str, cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """Counterparties paying (or paid) regularly: weekly, fortnightly, monthly or irregular but steady.

    SQL keeps the candidates that could be regular (≥ 3 lines over `min_months` months, at most
    `max_per_month` lines a month on average — shops are skipped — and either a stable core of amounts
    at a plausible pace or stable monthly totals); `cadence.assess` then judges each one's gaps and
    amounts (see cadence.py). Lines more than `band` from the counterparty's median amount are left out
    of the periodic reading, so a salary is still found when the payer also makes one-off transfers.
    """
    sign = "amount" if direction == "in" else "-amount"
    windows = list(cfg["cadences"].values())
    lo = min(w[0] for w in windows)
    hi = max(w[1] for w in windows)
    irr = cfg.get("irregular") or {}
    rows = _rows(
        con,
        f"""
        WITH base AS MATERIALIZED (
          SELECT debtor_id, cp_id, cp_account, row_id, ts, d, {sign} AS amt FROM eff
          WHERE direction = '{direction}' AND kind = 'normal' AND has_cp AND amount <> 0),
        grp AS MATERIALIZED (
          SELECT debtor_id, cp_id, count(DISTINCT date_trunc('month', d)) AS months,
            date_diff('month', min(d), max(d)) + 1 AS span FROM base GROUP BY ALL
          HAVING count(*) >= 3 AND count(DISTINCT date_trunc('month', d)) >= $min_months
            AND count(*) <= $per_month * (date_diff('month', min(d), max(d)) + 1)),
        med AS (
          SELECT b.debtor_id, b.cp_id, median(b.amt) AS m FROM base b SEMI JOIN grp g
            ON b.debtor_id = g.debtor_id AND b.cp_id = g.cp_id GROUP BY ALL),
        core AS (
          SELECT debtor_id, cp_id, count(*) AS n,
            coalesce(stddev_pop(amt) / nullif(avg(amt), 0), 0) AS cv,
            (epoch(max(ts)) - epoch(min(ts))) / 86400.0 / greatest(count(*) - 1, 1) AS gap
          FROM (SELECT b.* FROM base b JOIN med USING (debtor_id, cp_id) WHERE abs(b.amt - med.m) <= $band * med.m)
          GROUP BY ALL),
        mon AS (
          SELECT debtor_id, cp_id, stddev_pop(t) / nullif(avg(t), 0) AS mcv FROM (
            SELECT b.debtor_id, b.cp_id, date_trunc('month', b.d), sum(b.amt) AS t FROM base b SEMI JOIN grp g
              ON b.debtor_id = g.debtor_id AND b.cp_id = g.cp_id GROUP BY ALL) GROUP BY ALL),
        cand AS (
          SELECT g.debtor_id, g.cp_id FROM grp g
          LEFT JOIN core c ON g.debtor_id = c.debtor_id AND g.cp_id = c.cp_id
          LEFT JOIN mon m ON g.debtor_id = m.debtor_id AND g.cp_id = m.cp_id
          WHERE (c.n >= 3 AND c.cv <= $max_cv AND c.gap BETWEEN $lo * 0.5 AND $hi * 1.5)
             OR ($irr AND m.mcv <= $irr_cv AND g.months >= $irr_cov * g.span))
        SELECT b.debtor_id, c.cp AS counterparty, any_value(b.cp_account) AS account,
          list(b.ts ORDER BY b.ts, b.row_id) AS times, list(CAST(b.amt AS DOUBLE) ORDER BY b.ts, b.row_id) AS amounts,
          list(b.row_id ORDER BY b.ts, b.row_id) AS row_ids
        FROM base b SEMI JOIN cand k ON b.debtor_id = k.debtor_id AND b.cp_id = k.cp_id
        JOIN cps c ON b.cp_id = c.cp_id
        GROUP BY b.debtor_id, c.cp
        """,
        {
            "min_months": int(cfg["min_months"]),
            "per_month": float(cfg.get("max_per_month", 6)),
            "band": float(cfg.get("band", 0.15)),
            "max_cv": float(cfg["max_cv"]),
            "lo": float(lo),
            "hi": float(hi),
            "irr": bool(irr),
            "irr_cv": float(irr.get("max_cv", 0)),
            "irr_cov": float(irr.get("min_coverage", 1)),
        },
    )
    out = []
    for r in rows:
        found = cadence.assess(r["times"], r["amounts"], r["row_ids"], cfg)
        if found is not None:
            found["ids"] = found["ids"][:EVIDENCE_LIMIT]
            out.append(
                {"debtor_id": r["debtor_id"], "counterparty": r["counterparty"], "account": r["account"]}
                | found
            )
    out.sort(key=lambda x: (x["debtor_id"], -x["total"]))
    return out


def round_trips(con: Any, cfg: dict[str, Any]) -> list[dict[str, Any]]:
    return _rows(
        con,
        f"""
        WITH o AS (SELECT * FROM eff WHERE direction = 'out' AND -amount >= ? AND has_cp),
             i AS (SELECT * FROM eff WHERE direction = 'in' AND kind = 'normal' AND amount >= ?)
        SELECT o.debtor_id, count(*) AS n, sum(-o.amount) AS total,
          list(o.row_id)[1:{EVIDENCE_LIMIT}] || list(i.row_id)[1:{EVIDENCE_LIMIT}] AS ids
        FROM o JOIN i ON o.debtor_id = i.debtor_id AND o.cp_id = i.cp_id
          AND i.ts > o.ts AND i.ts <= o.ts + to_days(CAST(? AS INTEGER))
          AND abs(i.amount + o.amount) <= ? * (-o.amount)
        GROUP BY o.debtor_id
        """,
        [cfg["min_amount"], cfg["min_amount"], cfg["window_days"], cfg["tolerance"]],
    )


def evasion(con: Any, config: dict[str, Any]) -> list[dict[str, Any]]:
    """Cash withdrawals and transfers to persons just before a freeze or right after the notice.

    Per anchor window the outflows are summed; the busiest window is reported with the debtor's
    ordinary monthly level of the same outflows (`baseline`), so everyday ATM use is not a spike.
    """
    w = int(config["evasion"]["window_days"])
    return _rows(
        con,
        f"""
        WITH anchors AS (
          SELECT debtor_id, d - INTERVAL {w} DAY AS lo, d AS hi, 'freeze' AS anchor FROM freezes
          UNION ALL
          SELECT debtor_id, notice_on, notice_on + INTERVAL {w} DAY, 'notice' FROM debtors
          WHERE notice_on IS NOT NULL),
        cand AS (
          SELECT debtor_id, row_id, ts, d, -amount AS amount FROM eff
          WHERE direction = 'out' AND cashlike AND NOT is_org),
        base AS (
          SELECT c.debtor_id, sum(c.amount) / greatest(date_diff('day', b.p_start, b.p_end) / 30.0, 1) AS baseline
          FROM cand c JOIN debtors b ON c.debtor_id = b.debtor_id GROUP BY c.debtor_id, b.p_start, b.p_end),
        win AS (
          SELECT c.debtor_id, a.anchor, a.lo, count(*) AS n, sum(c.amount) AS total,
            list(c.row_id ORDER BY c.ts)[1:{EVIDENCE_LIMIT}] AS ids
          FROM cand c JOIN anchors a ON c.debtor_id = a.debtor_id
            AND c.d >= CAST(a.lo AS DATE) AND c.d <= CAST(a.hi AS DATE)
          GROUP BY c.debtor_id, a.anchor, a.lo)
        SELECT w.debtor_id, w.n, w.total, [w.anchor] AS anchors, w.ids, b.baseline
        FROM win w JOIN base b ON w.debtor_id = b.debtor_id
        QUALIFY row_number() OVER (PARTITION BY w.debtor_id ORDER BY w.total DESC, w.anchor) = 1
        """,
    )


def balance_thresholds(con: Any, cfg: dict[str, Any]) -> list[dict[str, Any]]:
    band = float(cfg["band"])
    hit = " OR ".join(
        f"(balance < {float(t)} AND balance >= {float(t) * (1 - band)})" for t in cfg["thresholds"]
    )
    return _rows(
        con,
        f"""
        SELECT debtor_id, count(*) AS observations, count(*) FILTER ({hit}) AS hits,
          count(*) FILTER ({hit}) / count(*) AS share,
          coalesce(list(row_id ORDER BY ts) FILTER ({hit}), [])[1:{EVIDENCE_LIMIT}] AS ids
        FROM eff WHERE balance IS NOT NULL GROUP BY debtor_id
        """,
    )


def compute(con: Any, config: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Every indicator for every debtor in `debtors`, keyed by debtor id."""
    config = ruleconfig.complete(config)
    prepare(con, config)
    out: dict[int, dict[str, Any]] = defaultdict(
        lambda: {
            "totals": {},
            "monthly": [],
            "categories": {},
            "regular_income": [],
            "payees": [],
            "travel": {},
            "violations": [],
            "related": [],
            "round_trips": {},
            "evasion": {},
            "balance": {},
        }
    )
    for (debtor_id,) in con.execute("SELECT debtor_id FROM debtors").fetchall():
        out[debtor_id]["totals"] = {
            "total_in": 0,
            "total_out": 0,
            "refunds": 0,
            "lines": 0,
            "foreign_lines": 0,
        }
    for r in totals(con):
        out[r.pop("debtor_id")]["totals"] = r
    for r in monthly(con):
        out[r.pop("debtor_id")]["monthly"].append(r)
    for r in categories(con):
        out[r.pop("debtor_id")]["categories"][r.pop("cat")] = r
    for r in _periodic(con, "in", config["regular"]):
        out[r.pop("debtor_id")]["regular_income"].append(r)
    for r in _periodic(con, "out", config["payee"]):
        out[r.pop("debtor_id")]["payees"].append(r)
    for r in consumption.travel_summary(con):
        out[r.pop("debtor_id")]["travel"][r.pop("cat")] = r
    for r in consumption.violations(con, config):
        out[r.pop("debtor_id")]["violations"].append(r)
    for r in related.related_transfers(con):
        out[r.pop("debtor_id")]["related"].append(r)
    for r in round_trips(con, config["round_trip"]):
        out[r.pop("debtor_id")]["round_trips"] = r
    for r in evasion(con, config):
        out[r.pop("debtor_id")]["evasion"] = r
    for r in balance_thresholds(con, config["balance"]):
        out[r.pop("debtor_id")]["balance"] = r
    return dict(out)
