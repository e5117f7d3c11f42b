"""Transfers to related parties, matched through name variants and accounts (DuckDB + `names`).

The indicator SQL keeps the heavy part (outflows after the judgment took effect) in DuckDB, and so does
the pairing of counterparties with recorded related persons: Python computes what `names` reads of each
distinct name once (cleaned form, masking, pinyin keys) and checks only the distinct account pairs and
masked names, so a batch of thousands of debtors does a few thousand string checks, not one per pair.
"""

# ruff: noqa: S608  (SQL assembled from constants, never request data)

from __future__ import annotations

from typing import Any

from . import names
from .store import insert

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


def _table(con: Any, table: str, columns: str, types: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Create TEMP table `table(columns)` filled with `rows` in one statement (`store.insert`:
    each column passed as one list; DuckDB's `executemany` runs a statement per row)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({columns})")
    insert(con, table, types, rows)


def _target(name: str) -> str:
    """The name a `rel_people` name is matched as: the debtor's own name without the `SELF` marker."""
    return name[len(SELF) :] if name.startswith(SELF) else name


def _name_facts(con: Any) -> None:
    """TEMP tables of what `names.name_match` reads of each distinct string of `rel_by_name`, computed
    once per string instead of once per pair: `rel_cp_facts(cp, c, masked)` and `rel_cp_keys(cp, key)`
    (the counterparty cleaned, masked or not, its Latin-letter keys), `rel_name_facts(name, t)` and
    `rel_name_keys(t, key)` (the recorded name cleaned and its pinyin keys), `rel_masked(c, t)` (the
    cleaned pairs a masked counterparty fits)."""
    cps, keys = [], []
    for (cp,) in con.execute("SELECT DISTINCT cp FROM rel_by_name").fetchall():
        c = names.clean_name(cp)
        masked = names.is_masked(c)
        cps.append((cp, c, masked))
        if c and not masked:  # name_match reads the Latin keys only of an unmasked name
            keys += [(cp, k) for k in names.latin_name_keys(cp, c)]
    _table(
        con, "rel_cp_facts", "cp VARCHAR, c VARCHAR, masked BOOLEAN", ["VARCHAR", "VARCHAR", "BOOLEAN"], cps
    )
    _table(con, "rel_cp_keys", "cp VARCHAR, key VARCHAR", ["VARCHAR", "VARCHAR"], keys)
    rows = con.execute("SELECT DISTINCT name FROM rel_by_name").fetchall()
    facts = [(name, names.clean_name(_target(name))) for (name,) in rows]
    _table(con, "rel_name_facts", "name VARCHAR, t VARCHAR", ["VARCHAR", "VARCHAR"], facts)
    # Pinyin only of the names a Latin-letter counterparty is compared with (lazy_pinyin is the costly part).
    rows = con.execute(
        """SELECT DISTINCT n.t FROM rel_by_name b JOIN rel_name_facts n ON b.name = n.name
        WHERE n.t <> '' AND b.cp IN (SELECT cp FROM rel_cp_keys)"""
    ).fetchall()
    keys = [(t, k) for (t,) in rows for k in names.pinyin_keys(t)]
    _table(con, "rel_name_keys", "t VARCHAR, key VARCHAR", ["VARCHAR", "VARCHAR"], keys)
    rows = con.execute(
        """SELECT DISTINCT f.c, n.t FROM rel_by_name b JOIN rel_cp_facts f ON b.cp = f.cp
        JOIN rel_name_facts n ON b.name = n.name WHERE f.masked AND n.t <> '' AND f.c <> n.t"""
    ).fetchall()
    fits = [(c, t) for c, t in rows if names.masked_fits(c, t)]
    _table(con, "rel_masked", "c VARCHAR, t VARCHAR", ["VARCHAR", "VARCHAR"], fits)


def _account_fits(con: Any) -> None:
    """TEMP table `rel_accounts(acc, racc)`: the distinct account pairs of `rel_by_account` that
    `names.accounts_match`. Only the pairs whose visible ends can agree (`names.account_ends`) are
    checked in Python: a statement's masked "6222****1234" meets thousands of accounts, few end alike."""
    rows = con.execute(
        "SELECT cp_account FROM rel_by_account UNION SELECT account FROM rel_by_account"
    ).fetchall()
    ends = [(acc, *names.account_ends(acc)) for (acc,) in rows]
    _table(con, "rel_acc_ends", "acc VARCHAR, head VARCHAR, tail VARCHAR", ["VARCHAR"] * 3, ends)
    pairs = con.execute(
        """
        SELECT DISTINCT b.cp_account, b.account FROM rel_by_account b
        JOIN rel_acc_ends x ON x.acc = b.cp_account JOIN rel_acc_ends y ON y.acc = b.account
        WHERE (ends_with(x.tail, y.tail) OR ends_with(y.tail, x.tail))
          AND (starts_with(x.head, y.head) OR starts_with(y.head, x.head))
        """
    ).fetchall()
    fits = [(a, r) for a, r in pairs if names.accounts_match(a, r)]
    _table(con, "rel_accounts", "acc VARCHAR, racc VARCHAR", ["VARCHAR", "VARCHAR"], fits)


def match_table(con: Any) -> None:
    """TEMP table `rel_match(debtor_id, cp_id, name, how, names)`: which related person each outflow
    counterparty of a debtor is (best match per counterparty, `names.HOW_RANK`), leaving out the
    debtor's own accounts — per (counterparty, account, person, person's account) pair the same as
    `names.how_matched`.

    A name match depends only on the counterparty and the person's name, an account match only on the
    two accounts: each is decided once per distinct string (or per distinct pair of accounts, and of
    cleaned names for masked ones) in Python, and the pairs of each debtor are joins in DuckDB — a batch
    has a few hundred thousand pairs but a few hundred distinct names.
    """
    _candidates(con)
    # A row of `eff` with a NULL account or a counterparty missing from `cps` matches nobody (as it never
    # did). `rel_by_name` leaves the accounts out: where a person's account matches, the name entry kept
    # for that person besides never counts, as the account entry outranks it and names the same person.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE rel_by_name AS
        SELECT DISTINCT o.debtor_id, o.cp_id, c.cp, p.name
        FROM (SELECT DISTINCT debtor_id, cp_id FROM eff WHERE direction = 'out' AND cp_account IS NOT NULL) o
        JOIN cps c ON o.cp_id = c.cp_id
        JOIN rel_people p ON o.debtor_id = p.debtor_id
        WHERE c.cp <> '' AND p.name IS NOT NULL
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE rel_by_account AS
        SELECT DISTINCT o.debtor_id, o.cp_id, o.cp_account, p.name, p.account
        FROM (SELECT DISTINCT debtor_id, cp_id, cp_account FROM eff
          WHERE direction = 'out' AND cp_account <> '') o
        JOIN cps c ON o.cp_id = c.cp_id
        JOIN rel_people p ON o.debtor_id = p.debtor_id
        WHERE c.cp IS NOT NULL AND p.name IS NOT NULL AND p.account <> ''
        """
    )
    _name_facts(con)
    _account_fits(con)
    rank = " ".join(f"WHEN '{how}' THEN {r}" for how, r in names.HOW_RANK.items())
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE rel_match AS
        WITH hits AS (
          -- the order of names.name_match: empty, equal, masked (and nothing else), pinyin
          SELECT b.debtor_id, b.cp_id, b.name, CASE
              WHEN f.c = '' OR n.t = '' THEN NULL
              WHEN f.c = n.t THEN 'name'
              WHEN f.masked THEN CASE WHEN k.c IS NOT NULL THEN 'masked' END
              WHEN y.cp IS NOT NULL THEN 'pinyin' END AS how
          FROM rel_by_name b
          JOIN rel_cp_facts f ON b.cp = f.cp
          JOIN rel_name_facts n ON b.name = n.name
          LEFT JOIN rel_masked k ON k.c = f.c AND k.t = n.t
          LEFT JOIN (SELECT DISTINCT ck.cp, nk.t FROM rel_cp_keys ck
            JOIN rel_name_keys nk ON ck.key = nk.key) y ON y.cp = b.cp AND y.t = n.t
          UNION ALL
          SELECT b.debtor_id, b.cp_id, b.name, 'account' FROM rel_by_account b
          JOIN rel_accounts a ON a.acc = b.cp_account AND a.racc = b.account),
        m AS (
          SELECT DISTINCT debtor_id, cp_id, name, how, CASE how {rank} END AS rank
          FROM hits WHERE how IS NOT NULL),
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
