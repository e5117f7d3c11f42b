"""Restricted consumption: categorised travel records and restricted spending while restricted (DuckDB).

Reads the relations `indicators.prepare` builds (`eff`, categorised lines) and the context tables
(`travel`, `restrictions`, `permits`); pure SQL, no ORM.
"""

# ruff: noqa: S608, E501  (SQL assembled from constants and rule-set configuration, never request data)

from __future__ import annotations

from typing import Any

from .store import insert

EVIDENCE_LIMIT = 50


def _rows(con: Any, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def violations(con: Any, config: dict[str, Any]) -> list[dict[str, Any]]:
    """Restricted-category spending and travel while a consumption restriction was in force.

    Each row names the restricted item (限消规定 Art 3(1)) of its category; a row on a day an approved
    private / necessary consumption window (`permits`, 限消规定 Arts 3(2), 8) frees the category's
    screening code carries `permitted_by` (the approved purpose) and is deducted by the rule.
    """
    restricted = config["restricted_categories"]
    cats = ", ".join(f"'{c}'" for c in restricted) or "''"
    con.execute("CREATE OR REPLACE TEMP TABLE cat_items (cat VARCHAR, item INTEGER, code VARCHAR)")
    items = [(c, int(v[0]), str(v[1])) for c, v in config.get("restricted_items", {}).items()]
    insert(con, "cat_items", ["VARCHAR", "INTEGER", "VARCHAR"], items)
    con.execute(
        "CREATE TEMP TABLE IF NOT EXISTS permits (debtor_id BIGINT, code VARCHAR, from_d DATE,"
        " until_d DATE, purpose VARCHAR)"
    )
    return _rows(
        con,
        f"""
        WITH v AS (
          SELECT e.debtor_id, 'tx' AS src, e.row_id, e.cat, e.d AS day, -e.amount AS amount
          FROM eff e JOIN restrictions r ON e.debtor_id = r.debtor_id
          WHERE e.direction = 'out' AND e.cat IN ({cats}) AND e.d >= r.start_d AND e.d <= coalesce(r.end_d, DATE '9999-12-31')
          UNION ALL
          SELECT t.debtor_id, 'travel', t.row_id, t.cat, CAST(t.start_ts AS DATE), t.amount
          FROM travel_cat t JOIN restrictions r ON t.debtor_id = r.debtor_id
          WHERE t.cat IN ({cats}) AND CAST(t.start_ts AS DATE) <= coalesce(r.end_d, DATE '9999-12-31')
            AND CAST(t.end_ts AS DATE) >= r.start_d)
        SELECT v.debtor_id, v.src, v.row_id, v.cat, CAST(v.day AS VARCHAR) AS day, v.amount, ci.item,
          p.purpose AS permitted_by
        FROM v LEFT JOIN cat_items ci ON v.cat = ci.cat
        LEFT JOIN permits p ON p.debtor_id = v.debtor_id AND p.code = ci.code AND v.day BETWEEN p.from_d AND p.until_d
        QUALIFY row_number() OVER (PARTITION BY v.debtor_id, v.src, v.row_id ORDER BY p.from_d NULLS LAST) = 1
        ORDER BY 1, 5, 2, 3
        """,
    )


def travel_summary(con: Any) -> list[dict[str, Any]]:
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE travel_cat AS
        SELECT t.*, CASE
            WHEN coalesce(t.country, '') NOT IN ('', '中国', 'CN', 'CHN', '中国大陆') THEN 'abroad'
            WHEN t.kind = 'flight' THEN 'air'
            WHEN t.kind = 'train' AND regexp_matches(coalesce(t.seat_class, ''), '软卧|动卧') THEN 'soft_sleeper'
            WHEN t.kind = 'train' AND (upper(coalesce(t.carrier, '')) LIKE 'G%'
              OR regexp_matches(coalesce(t.seat_class, ''), '一等|商务|特等'))
              THEN 'rail'
            WHEN t.kind = 'hotel' AND regexp_matches(coalesce(t.seat_class, ''), '[45]|四|五|豪华') THEN 'star_hotel'
            ELSE NULL END AS cat,
          CASE WHEN t.kind = 'hotel'
            THEN greatest(1, date_diff('day', CAST(t.start_ts AS DATE), CAST(t.end_ts AS DATE))) ELSE 0 END AS nights
        FROM travel t JOIN debtors b ON t.debtor_id = b.debtor_id
        WHERE CAST(t.end_ts AS DATE) >= b.p_start AND CAST(t.start_ts AS DATE) <= b.p_end
        """
    )
    return _rows(
        con,
        f"""SELECT debtor_id, cat, count(*) AS trips, sum(nights) AS nights, coalesce(sum(amount), 0) AS amount,
              list(row_id ORDER BY start_ts)[1:{EVIDENCE_LIMIT}] AS ids
            FROM travel_cat WHERE cat IS NOT NULL GROUP BY ALL""",
    )
