"""Seeded synthetic flows with planted behaviours: the ground truth for rule quality and the benchmark.

Everything is generated inside DuckDB from `hash(i, seed, tag)`, so a (seed, size) pair always gives
the same data with the pinned DuckDB version, and 18 million rows take seconds, not minutes.

Planted behaviours (each a column of `syn_debtors`): `b_hidden` hidden salary paid by a third person,
`b_spouse` transfers to the spouse after judgment, `b_cash` cash-out before a freeze, `b_travel`
flights and star hotels while restricted, `b_tip` live-stream tipping, `b_bal` balances kept under
50,000. Debtors with none of them are the honest poor. Noise that looks like each behaviour (a real
employer's salary, small transfers to the spouse, a flight before the restriction, second-class
D trains, small tips, everyday ATM use) is generated for everyone.
"""

# ruff: noqa: S608, E501  (SQL assembled from constants and rule-set configuration, never request data)

from __future__ import annotations

from typing import Any

PERIOD = ("2023-01-01", "2025-12-31")
BEHAVIOURS = ["b_hidden", "b_spouse", "b_cash", "b_travel", "b_tip", "b_bal"]
RULE_FOR = {
    "b_hidden": "hidden_salary",
    "b_spouse": "related_transfers",
    "b_cash": "evasion",
    "b_travel": "restriction_violation",
    "b_tip": "tipping",
    "b_bal": "balance_threshold",
}
MERCHANTS = [
    "永辉超市",
    "美团外卖",
    "全家便利店",
    "沙县小吃",
    "滴滴出行",
    "菜市场摊位",
    "拼多多",
    "京东商城",
    "国网电力",
    "中国移动",
    "加油站",
    "药房",
    "理发店",
    "面包店",
    "水果店",
    "早餐店",
]
NAMES = [
    "李明",
    "王芳",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄敏",
    "周杰",
    "吴娟",
    "徐强",
    "孙丽",
    "马超",
    "朱婷",
    "胡军",
    "郭艳",
    "林峰",
    "何琳",
    "高翔",
    "罗丹",
    "梁宇",
]
PAYERS = ["张某华", "钱某军", "冯某兰", "蒋某平", "韩某伟", "曹某红", "彭某东", "潘某燕"]
COMPANIES = ["广州某科技有限公司", "佛山某制造有限公司", "深圳某贸易有限公司", "东莞某电子厂"]


def _arr(values: list[str]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def _u(expr: str, seed: int, tag: str, mod: int = 1000) -> str:
    return f"CAST(hash({expr}, {seed}, '{tag}') % {mod} AS BIGINT)"


def generate(con: Any, n_debtors: int, rows_per_debtor: int, seed: int = 42) -> None:
    """Create `syn_debtors`, `raw_tx` (with ~0.5 % duplicate lines), `travel`, and the context tables
    `debtors`, `related`, `restrictions`, `freezes` in the DuckDB connection."""
    n, k, s = n_debtors, rows_per_debtor, seed
    con.execute(f"""
        CREATE OR REPLACE TABLE syn_debtors AS
        SELECT d AS debtor_id,
          {_u("d", s, "hs")} < 200 AS b_hidden,
          {_u("d", s, "m")} < 600 AS married,
          {_u("d", s, "m")} < 600 AND {_u("d", s, "sp")} < 330 AS b_spouse,
          {_u("d", s, "co")} < 200 AS b_cash,
          {_u("d", s, "r")} < 700 AS restricted,
          {_u("d", s, "r")} < 700 AND {_u("d", s, "lt")} < 280 AS b_travel,
          {_u("d", s, "tp")} < 200 AS b_tip,
          {_u("d", s, "bl")} < 150 AS b_bal,
          {_u("d", s, "job")} < 300 AS employed,
          {_u("d", s, "fl")} < 150 AS early_flight,
          DATE '2024-01-01' + CAST({_u("d", s, "eff", 180)} AS INTEGER) AS effective_on,
          list_element({_arr(NAMES)}, CAST({_u("d", s, "spn", len(NAMES))} AS INTEGER) + 1) || '妻' AS spouse,
          list_element({_arr(PAYERS)}, CAST({_u("d", s, "pay", len(PAYERS))} AS INTEGER) + 1) AS payer,
          6000 + {_u("d", s, "sal", 9000)} AS salary
        FROM range({n}) t(d)
    """)
    con.execute("""
        CREATE OR REPLACE TABLE debtors AS SELECT debtor_id, DATE '2023-01-01' AS p_start,
          DATE '2025-12-31' AS p_end, effective_on, effective_on + 15 AS deadline, effective_on + 30 AS filed_on,
          effective_on + 40 AS notice_on, 100000.0 AS claim FROM syn_debtors;
        CREATE OR REPLACE TABLE related AS SELECT debtor_id, spouse AS name FROM syn_debtors WHERE married;
        CREATE OR REPLACE TABLE restrictions AS
          SELECT debtor_id, effective_on + 90 AS start_d, CAST(NULL AS DATE) AS end_d FROM syn_debtors WHERE restricted;
        CREATE OR REPLACE TABLE freezes AS SELECT debtor_id, effective_on + 120 AS d FROM syn_debtors;
    """)
    base = f"""
        SELECT i AS row_id, i // {k} AS debtor_id, CAST(hash(i, {s}, 'a') % 1000000007 AS BIGINT) AS h, {_u("i", s, "k", 100)} AS r,
          TIMESTAMP '2023-01-01 00:00:00' + to_seconds(CAST(hash(i, {s}, 't') % (1095 * 86400) AS BIGINT)) AS ts
        FROM range({n * k}) t(i)"""
    con.execute(f"""
        CREATE OR REPLACE TABLE raw_tx AS
        WITH b AS ({base})
        SELECT b.row_id, b.debtor_id, b.ts,
          CAST(CASE WHEN r < 60 THEN -(500 + h % 29500) WHEN r < 70 THEN -(5000 + h % 195000)
               WHEN r < 85 THEN 5000 + h % 295000 WHEN r < 90 THEN -(3000 + h % 27000)
               ELSE -(10000 + h % 70000) END / 100.0 AS DECIMAL(18,2)) AS amount,
          'CNY' AS currency,
          CASE WHEN r < 60 OR (r >= 85 AND r < 90) THEN list_element({_arr(MERCHANTS)}, CAST(h % {len(MERCHANTS)} AS INTEGER) + 1)
               WHEN r < 85 THEN list_element({_arr(NAMES)}, CAST(h % {len(NAMES)} AS INTEGER) + 1) ELSE '' END AS counterparty,
          CASE WHEN r < 60 THEN '消费' WHEN r < 85 THEN '转账' WHEN r < 90 THEN '缴费' ELSE 'ATM取款' END AS summary,
          CASE WHEN h % 2 = 0 THEN NULL WHEN d.b_bal AND h % 10 < 7 THEN CAST(47500 + h % 2499 AS DECIMAL(18,2))
               ELSE CAST(h % 3000000 / 100.0 AS DECIMAL(18,2)) END AS balance
        FROM b JOIN syn_debtors d USING (debtor_id)
    """)
    off = n * k
    planted = [
        # hidden salary via a third person: 24 monthly payments of a stable amount
        f"""SELECT {off} + debtor_id * 1000 + m, debtor_id,
              TIMESTAMP '2023-06-01 10:00:00' + to_months(CAST(m AS INTEGER))
                + to_days(CAST(9 + hash(debtor_id, m, {s}) % 3 AS INTEGER)),
              CAST(salary * (1 + (CAST(hash(debtor_id, m, {s}, 'j') % 61 AS BIGINT) - 30) / 1000.0) AS DECIMAL(18,2)), 'CNY',
              payer, '转账', NULL FROM syn_debtors, range(24) t(m) WHERE b_hidden""",
        # a real employer's salary (noise for the hidden-salary rule)
        f"""SELECT {off} + debtor_id * 1000 + 100 + m, debtor_id,
              TIMESTAMP '2023-01-15 09:00:00' + to_months(CAST(m AS INTEGER)),
              CAST(2500 + hash(debtor_id, {s}) % 2000 AS DECIMAL(18,2)), 'CNY',
              list_element({_arr(COMPANIES)}, CAST(hash(debtor_id, {s}, 'c') % {len(COMPANIES)} AS INTEGER) + 1),
              '代发工资', NULL FROM syn_debtors, range(30) t(m) WHERE employed""",
        # transfers to the spouse after judgment (planted) and small ones (noise)
        f"""SELECT {off} + debtor_id * 1000 + 200 + j, debtor_id,
              CAST(effective_on + CAST(130 + j * 25 + hash(debtor_id, j, {s}) % 10 AS INTEGER) AS TIMESTAMP) + INTERVAL 14 HOUR,
              -CAST(5000 + hash(debtor_id, j, {s}, 'x') % 25000 AS DECIMAL(18,2)), 'CNY', spouse, '转账', NULL
            FROM syn_debtors, range(6) t(j) WHERE b_spouse""",
        f"""SELECT {off} + debtor_id * 1000 + 300 + j, debtor_id,
              TIMESTAMP '2023-02-01 12:00:00' + to_days(CAST(hash(debtor_id, j, {s}, 'q') % 1000 AS INTEGER)),
              -CAST(200 + hash(debtor_id, j, {s}, 'y') % 600 AS DECIMAL(18,2)), 'CNY', spouse, '转账', NULL
            FROM syn_debtors, range(3) t(j) WHERE married AND NOT b_spouse""",
        # cash-out in the ten days before the freeze
        f"""SELECT {off} + debtor_id * 1000 + 400 + j, debtor_id,
              CAST(effective_on + CAST(119 - CAST(hash(debtor_id, j, {s}) % 10 AS INTEGER) AS INTEGER) AS TIMESTAMP) + INTERVAL 11 HOUR,
              -CAST(5000 + hash(debtor_id, j, {s}, 'z') % 15000 AS DECIMAL(18,2)), 'CNY', '', 'ATM取款 现金', NULL
            FROM syn_debtors, range(4) t(j) WHERE b_cash""",
        # airline tickets bought while restricted
        f"""SELECT {off} + debtor_id * 1000 + 500 + j, debtor_id,
              CAST(effective_on + CAST(100 + j * 30 AS INTEGER) AS TIMESTAMP) + INTERVAL 8 HOUR,
              -CAST(1200 + hash(debtor_id, j, {s}) % 3000 AS DECIMAL(18,2)), 'CNY', '中国东方航空', '机票', NULL
            FROM syn_debtors, range(3) t(j) WHERE b_travel""",
        # live-stream tipping (planted) and a couple of small tips (noise)
        f"""SELECT {off} + debtor_id * 1000 + 600 + j, debtor_id,
              TIMESTAMP '2023-03-01 22:00:00' + to_days(CAST(hash(debtor_id, j, {s}) % 900 AS INTEGER)),
              -CAST(100 + hash(debtor_id, j, {s}, 'w') % 1400 AS DECIMAL(18,2)), 'CNY', '抖音直播', '抖币充值', NULL
            FROM syn_debtors, range(20) t(j) WHERE b_tip""",
        f"""SELECT {off} + debtor_id * 1000 + 700 + j, debtor_id,
              TIMESTAMP '2023-03-01 21:00:00' + to_days(CAST(hash(debtor_id, j, {s}, 'v') % 900 AS INTEGER)),
              -CAST(10 + hash(debtor_id, j, {s}, 'u') % 30 AS DECIMAL(18,2)), 'CNY', '快手', '直播打赏', NULL
            FROM syn_debtors, range(2) t(j) WHERE NOT b_tip AND hash(debtor_id, {s}, 'st') % 10 = 0""",
    ]
    for sql in planted:
        con.execute(f"INSERT INTO raw_tx {sql}")
    # ~0.5 % of lines exported twice (the same transaction id): the importer must flag them
    con.execute(f"INSERT INTO raw_tx SELECT * FROM raw_tx WHERE hash(row_id, {s}, 'dup') % 200 = 0")
    con.execute(f"""
        CREATE OR REPLACE TABLE travel AS
        SELECT {off} + debtor_id * 10 + j AS row_id, debtor_id, CASE WHEN j < 3 THEN 'flight' ELSE 'hotel' END AS kind,
          CAST(effective_on + CAST(101 + j * 30 AS INTEGER) AS TIMESTAMP) + INTERVAL 9 HOUR AS start_ts,
          CAST(effective_on + CAST(101 + j * 30 + CASE WHEN j < 3 THEN 0 ELSE 2 END AS INTEGER) AS TIMESTAMP) + INTERVAL 11 HOUR AS end_ts,
          CASE WHEN j < 3 THEN 'MU5101' ELSE '希尔顿酒店' END AS carrier,
          CASE WHEN j < 3 THEN '经济舱' ELSE '五星' END AS seat_class, '中国' AS country,
          CAST(800 + hash(debtor_id, j, {s}) % 2000 AS DECIMAL(18,2)) AS amount
        FROM syn_debtors, range(5) t(j) WHERE b_travel
        UNION ALL
        SELECT {off} + debtor_id * 10 + 7, debtor_id, 'flight', CAST(effective_on - 60 AS TIMESTAMP) + INTERVAL 7 HOUR,
          CAST(effective_on - 60 AS TIMESTAMP) + INTERVAL 10 HOUR, 'CZ3101', '经济舱', '中国', 900
        FROM syn_debtors WHERE early_flight
        UNION ALL
        SELECT {off} + debtor_id * 10 + 8, debtor_id, 'train', CAST(effective_on + 150 AS TIMESTAMP) + INTERVAL 7 HOUR,
          CAST(effective_on + 150 AS TIMESTAMP) + INTERVAL 10 HOUR, 'D2301', '二等座', '中国', 120
        FROM syn_debtors WHERE restricted AND hash(debtor_id, {s}, 'd') % 10 = 0
    """)


def ingest(con: Any, source: str = "raw_tx", target: str | None = None) -> dict[str, int]:
    """Normalise raw lines of table `source` into the indicator schema, flagging repeated lines.

    A line whose (debtor, line id) was already seen is a duplicate: the first copy (lowest rowid)
    counts, the others are kept with dup = true. Written to table `tx`, or to Parquet at `target`.
    """
    body = f"""
        WITH dkeys AS (SELECT debtor_id, row_id FROM {source} GROUP BY ALL HAVING count(*) > 1),
        firsts AS (
          SELECT s.debtor_id, s.row_id, min(s.rowid) AS keep FROM {source} s SEMI JOIN dkeys k
            ON s.debtor_id = k.debtor_id AND s.row_id = k.row_id GROUP BY ALL)
        SELECT s.row_id, s.debtor_id, s.ts, s.amount, s.currency,
          CASE WHEN s.amount > 0 THEN 'in' WHEN s.amount < 0 THEN 'out' ELSE 'neutral' END AS direction,
          'normal' AS kind, coalesce(s.counterparty, '') AS counterparty, '' AS cp_account,
          coalesce(s.counterparty, '') || ' ' || coalesce(s.summary, '') AS text, s.balance,
          f.keep IS NOT NULL AND s.rowid <> f.keep AS dup
        FROM {source} s LEFT JOIN firsts f ON s.debtor_id = f.debtor_id AND s.row_id = f.row_id"""
    if target:
        con.execute(f"COPY ({body}) TO '{target}' (FORMAT parquet)")
        rel = f"read_parquet('{target}')"
    else:
        con.execute(f"CREATE OR REPLACE TABLE tx AS {body}")
        rel = "tx"
    rows, dups = con.execute(f"SELECT count(*), count(*) FILTER (dup) FROM {rel}").fetchone()
    return {"rows": int(rows), "duplicates": int(dups)}


def truth(con: Any) -> dict[int, dict[str, bool]]:
    cols = ", ".join(BEHAVIOURS)
    return {
        row[0]: dict(zip(BEHAVIOURS, row[1:], strict=True))
        for row in con.execute(f"SELECT debtor_id, {cols} FROM syn_debtors").fetchall()
    }
