"""Transfers to related parties, matched through name variants and accounts (DuckDB + `names`).

The indicator SQL keeps the heavy part (outflows after the judgment took effect) in DuckDB; only the
distinct pairs (counterparty name and account, recorded related person) go through `names.how_matched`,
so a batch of thousands of debtors matches a few thousand distinct pairs, not every line.
"""

# ruff: noqa: S608  (SQL assembled from constants, never request data)

from __future__ import annotations

from typing import Any

from . import names

EVIDENCE_LIMIT = 50
SELF = "__self__"  # the debtor's own name, matched like a relative so own accounts are left out


def _has_column(con: Any, table: str, column: str) -> bool:
    return column in {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}


def _candidates(con: Any) -> None:
    """TEMP table `rel_people(debtor_id, name, account)`: recorded related parties plus the debtor."""
    account = "coalesce(account, '')" if _has_column(con, "related", "account") else "''"
    own = (
        f"UNION ALL SELECT debtor_id, '{SELF}' || name, '' FROM debtors WHERE coalesce(name, '') <> ''"
        if _has_column(con, "debtors", "name")
        else ""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE rel_people AS
        SELECT debtor_id, name, {account} AS account FROM related {own}"""
    )


def match_table(con: Any) -> None:
    """TEMP table `rel_match(debtor_id, cp_id, name, how, others)`: which related person each outflow
    counterparty of a debtor is (best match per counterparty), leaving out the debtor's own accounts."""
    _candidates(con)
    pairs = con.execute(
        """
        SELECT DISTINCT c.cp, o.cp_account, p.name, p.account
        FROM (SELECT DISTINCT debtor_id, cp_id, cp_account FROM eff WHERE direction = 'out') o
        JOIN cps c ON o.cp_id = c.cp_id
        JOIN rel_people p ON o.debtor_id = p.debtor_id
        WHERE c.cp <> '' OR o.cp_account <> ''
        """
    ).fetchall()
    hits = []
    for cp, acc, name, racc in pairs:
        target = name[len(SELF) :] if name.startswith(SELF) else name
        how = names.how_matched(cp, acc or "", target, racc or "")
        if how:
            hits.append((cp, acc or "", name, racc or "", how, names.HOW_RANK[how]))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE rel_hits (cp VARCHAR, cp_account VARCHAR, name VARCHAR,"
        " account VARCHAR, how VARCHAR, rank INTEGER)"
    )
    if hits:
        con.executemany("INSERT INTO rel_hits VALUES (?, ?, ?, ?, ?, ?)", hits)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE rel_match AS
        WITH m AS (
          SELECT DISTINCT o.debtor_id, o.cp_id, h.name, h.how, h.rank
          FROM (SELECT DISTINCT debtor_id, cp_id, cp_account FROM eff WHERE direction = 'out') o
          JOIN cps c ON o.cp_id = c.cp_id
          JOIN rel_people p ON o.debtor_id = p.debtor_id
          JOIN rel_hits h ON h.cp = c.cp AND h.cp_account = o.cp_account AND h.name = p.name
            AND h.account = p.account),
        best AS (
          SELECT debtor_id, cp_id, min(rank) AS rank, bool_or(starts_with(name, '{SELF}')) AS is_self
          FROM m GROUP BY ALL)
        SELECT m.debtor_id, m.cp_id, min(m.name) AS name, any_value(m.how) AS how,
          list(DISTINCT m.name ORDER BY m.name) AS names
        FROM m JOIN best b ON m.debtor_id = b.debtor_id AND m.cp_id = b.cp_id AND m.rank = b.rank
        WHERE NOT b.is_self
        GROUP BY m.debtor_id, m.cp_id
        """
    )


def related_transfers(con: Any) -> list[dict[str, Any]]:
    """Money sent to recorded relatives or linked companies after the judgment took effect, with the
    recorded name each counterparty was matched to and how (`names.Match.how`)."""
    match_table(con)
    rows = con.execute(
        f"""
        SELECT e.debtor_id, c.cp AS counterparty, r.name, r.how, r.names, count(*) AS n,
          sum(-e.amount) AS total, list(e.row_id ORDER BY e.ts)[1:{EVIDENCE_LIMIT}] AS ids
        FROM eff e JOIN cps c ON e.cp_id = c.cp_id
        JOIN rel_match r ON e.debtor_id = r.debtor_id AND e.cp_id = r.cp_id
        JOIN debtors b ON e.debtor_id = b.debtor_id
        WHERE e.direction = 'out' AND e.d >= coalesce(b.effective_on, b.p_start)
        GROUP BY ALL ORDER BY 1, 7 DESC
        """
    ).fetchall()
    out = []
    for debtor_id, cp, name, how, all_names, n, total, ids in rows:
        out.append(
            {
                "debtor_id": debtor_id,
                "counterparty": cp,
                "related": name,
                "how": how,
                "others": [x for x in all_names if x != name],
                "n": n,
                "total": total,
                "ids": ids,
            }
        )
    return out
