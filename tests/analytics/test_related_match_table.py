"""`related.match_table` (strings checked once each, pairs joined in DuckDB) gives the `rel_match` of
the per-pair algorithm it replaced, kept here as the reference: adversarial cases and a seeded random
batch, with and without the optional `related.account` and `debtors.name` columns."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import duckdb
import pytest
from pypinyin import lazy_pinyin

from zhixing.analytics import names, related
from zhixing.analytics.related import SELF

Row = tuple[Any, ...]


def reference_match_table(con: Any) -> None:
    """The per-pair `match_table` as it was: every distinct (counterparty, account, person, person's
    account) through `names.how_matched` in Python."""
    related._candidates(con)
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


def _connection(
    debtors: list[Row], people: list[Row], cps: list[Row], eff: list[Row], *, account: bool, own: bool
) -> Any:
    """The tables `match_table` reads, as `indicators.prepare` and `store.load_context` name them;
    `account`/`own` say whether `related.account` and `debtors.name` exist (both are optional)."""
    con = duckdb.connect()
    v = "VARCHAR"
    if own:
        related._table(con, "debtors", "debtor_id BIGINT, name VARCHAR", ["BIGINT", v], debtors)
    else:
        related._table(con, "debtors", "debtor_id BIGINT", ["BIGINT"], [d[:1] for d in debtors])
    if account:
        related._table(
            con, "related", "debtor_id BIGINT, name VARCHAR, account VARCHAR", ["BIGINT", v, v], people
        )
    else:
        related._table(
            con, "related", "debtor_id BIGINT, name VARCHAR", ["BIGINT", v], [p[:2] for p in people]
        )
    related._table(con, "cps", "cp_id BIGINT, cp VARCHAR", ["BIGINT", v], cps)
    columns = "debtor_id BIGINT, cp_id BIGINT, cp_account VARCHAR, direction VARCHAR"
    related._table(con, "eff", columns, ["BIGINT", "BIGINT", v, v], eff)
    return con


def _rel_match(con: Any, build: Any) -> list[Row]:
    build(con)
    return sorted(con.execute("SELECT debtor_id, cp_id, name, how, names FROM rel_match").fetchall())


def _assert_same(debtors: list[Row], people: list[Row], cps: list[Row], eff: list[Row]) -> list[Row]:
    """Both algorithms on every schema variant; the full-schema result (for checks of its own)."""
    out: list[Row] = []
    for account in (True, False):
        for own in (True, False):
            con = _connection(debtors, people, cps, eff, account=account, own=own)
            expected = _rel_match(con, reference_match_table)
            got = _rel_match(con, related.match_table)
            assert got == expected, (account, own)
            if account and own:
                out = got
    return out


COUNTERPARTIES = [
    "张三",
    "支付宝-张三",
    "微信转账-張三",
    "张 三(个人)",
    "张三（商户）",
    "转账给张三",
    "ＺＨＡＮＧ　ＳＡＮ",
    "ZHANG SAN",
    "zhangsan",
    "San Zhang",
    "zhang-san",
    "Zhang.San",
    "张*",
    "*三",
    "张**",
    "张＊",
    "**三",
    "李*",
    "*四",
    "李四",
    "LI SI",
    "si li",
    "李四(1234)",
    "支付宝-李*",
    "王五",
    "王*五",
    "**",
    "*",
    "",
    "支付宝",
    "张三丰",
    "zhang san feng",
    "张*丰",
    "某某贸易有限公司",
    "财付通-王五",
    "Wang Wu",
    "wu wang",
    "李**",
    "•四",
    "張大偉",
    "张大伟",
    "zhang da wei",
    "被执行人甲",
    "被执行*甲",
    "被*",
    "甲",
    "JIA",
    "12345",
    "(个人)",  # these three clean to nothing: no name to match
    " ",
    "支付宝-",
]
# Counterparty accounts: mostly none (a statement rarely shows one), full, masked, spaced, e-mail, short.
ACCOUNTS = [
    "",
    "",
    "",
    "",
    "",
    "6222020012341234",
    "6222****1234",
    "6222 0200 1234 1234",
    "6222******1234",
    "1234",
    "abc@qq.com",
    "ABC@QQ.COM",
    "6222020099991234",
    "62**34",
    "6222*1234",
    "****1234",
    "6222****",
    None,
]
RELATED_ACCOUNTS = [
    "",
    "",
    "",
    "6222020012341234",
    "6222****1234",
    "abc@qq.com",
    "6222*1234",
    "1234",
    "****1234",
    None,
]
PEOPLE_NAMES = [
    "张三",
    "李四",
    "王五",
    "张三丰",
    "張大偉",
    "ZHANG SAN",
    "",
    "李 四",
    "张*",
    "*三",
    "被执行人甲",
    "zhang san",
    "（个人）",
    " ",
]


def test_adversarial_cases_match_the_per_pair_algorithm() -> None:
    cps = [(i + 1, cp) for i, cp in enumerate(COUNTERPARTIES)] + [(900, None)]
    # Debtors named like a counterparty, like a related person of another debtor, masked, or not named.
    own_names = ["张三", "被执行人甲", "李四", "", None, "王五", "某人", "zhang san", "张大伟"]
    debtors = [(d + 1, own) for d, own in enumerate(own_names)]
    people: list[Row] = []
    for d in range(len(own_names)):
        for k in range(1 + d % 4):  # one to four recorded people, some sharing names, accounts
            j = (d * 5 + k * 7) % len(PEOPLE_NAMES)
            people.append((d + 1, PEOPLE_NAMES[j], RELATED_ACCOUNTS[(d + k) % len(RELATED_ACCOUNTS)]))
    people += [(2, "张三", "6222****1234"), (2, "张三", "6222020099991234"), (3, "李四", "abc@qq.com")]
    eff: list[Row] = []
    for d in range(len(own_names)):
        for c, _ in cps:  # one account per counterparty and debtor, a second for some
            eff.append((d + 1, c, ACCOUNTS[(c * 5 + d) % len(ACCOUNTS)], "out"))
            if c % 4 == 0:
                eff.append((d + 1, c, ACCOUNTS[(c + 2 * d) % len(ACCOUNTS)], "out"))
        # an inflow is nobody's transfer; an outflow to a counterparty missing from `cps` matches nobody
        eff += [(d + 1, 1, "6222020012341234", "in"), (d + 1, 777, "6222020012341234", "out")]
    got = _assert_same(debtors, people, cps, eff)
    assert {r[3] for r in got} == set(names.HOW_RANK)  # every way of matching occurs
    assert any(len(r[4]) > 1 for r in got)  # and a counterparty fitting several people


def test_no_related_people_and_no_outflows() -> None:
    _assert_same([(1, "张三")], [], [(1, "张三"), (2, "李四")], [(1, 1, "", "out"), (1, 2, "", "in")])
    _assert_same([(1, "张三")], [(1, "李四", "")], [(1, "李四")], [(1, 1, "", "in")])


def _random_name(rng: random.Random) -> str:
    # few characters, so that names collide often: each way of matching occurs many times
    name = rng.choice("张張李王") + "".join(rng.choice("三四伟偉") for _ in range(rng.choice((1, 1, 2))))
    form = rng.random()
    if form < 0.2:  # a Latin-letter name, either order, any case and separator
        syllables = lazy_pinyin(name)
        if rng.random() < 0.5:
            syllables = syllables[1:] + syllables[:1]
        text = rng.choice((" ", "", "-", ".")).join(syllables)
        name = rng.choice((text.upper(), text, text.title()))
    elif form < 0.45:  # masked: one run, or several
        chars = list(name)
        for i in rng.sample(range(len(chars)), rng.randint(1, len(chars))):
            chars[i] = rng.choice("**＊•")
        name = "".join(chars)
        if rng.random() < 0.3:
            name += "*"
    elif form < 0.55:  # full width and spaces
        name = " ".join(name).translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    wrappers = [("", ""), ("支付宝-", ""), ("微信转账-", ""), ("", "(个人)"), ("转账给", "（商户）")]
    prefix, suffix = rng.choice(wrappers)
    return prefix + name + suffix


def _random_account(rng: random.Random) -> str | None:
    full = rng.choice(["6222020012341234", "6222020099991234", "6217000011112222", "abc@qq.com", "1234"])
    form = rng.random()
    if form < 0.6:  # most statement lines show no account
        return rng.choice(["", "", None])
    if form < 0.8 and len(full) > 8:
        keep_head, keep_tail = rng.choice([(4, 4), (0, 4), (4, 0), (6, 4), (2, 2)])
        return (
            full[:keep_head]
            + "*" * rng.choice((1, 4, len(full) - keep_head - keep_tail))
            + full[-keep_tail or len(full) :]
        )
    return full


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_batch_matches_the_per_pair_algorithm(seed: int) -> None:
    rng = random.Random(seed)
    pool = [_random_name(rng) for _ in range(150)] + ["", "某某科技有限公司"]
    cps = [(i + 1, cp) for i, cp in enumerate(dict.fromkeys(pool))]
    debtors = [(d, rng.choice([_random_name(rng), ""])) for d in range(1, 41)]
    people = [
        (d, _random_name(rng), _random_account(rng) or "")
        for d, _ in debtors
        for _ in range(rng.randint(0, 4))
    ]
    eff = [
        (d, rng.choice(cps)[0], _random_account(rng), rng.choice(["out", "out", "out", "in"]))
        for d, _ in debtors
        for _ in range(rng.randint(20, 60))
    ]
    con = _connection(debtors, people, cps, eff, account=True, own=True)
    related._candidates(con)
    n_pairs = con.execute(
        """SELECT count(*) FROM (SELECT DISTINCT o.debtor_id, o.cp_id, o.cp_account, p.name, p.account
        FROM eff o JOIN rel_people p ON o.debtor_id = p.debtor_id WHERE o.direction = 'out')"""
    ).fetchone()[0]
    assert n_pairs > 2000
    got = _assert_same(debtors, people, cps, eff)
    assert {r[3] for r in got} == set(names.HOW_RANK)


def _pairs(items: list[str]) -> Iterator[tuple[str, str]]:
    return ((a, b) for a in items for b in items)


def test_the_names_helpers_are_name_match_s_steps() -> None:
    """`latin_name_keys` and `masked_fits`, which `match_table` calls per string, are what `name_match`
    decides by."""
    cleaned = [names.clean_name(c) for c in COUNTERPARTIES + PEOPLE_NAMES]
    for c, t in _pairs(cleaned):
        if c and t and c != t and names.is_masked(c):
            assert (names.name_match(c, t) == "masked") == names.masked_fits(c, t)
    for cp in COUNTERPARTIES:
        c = names.clean_name(cp)
        assert names.latin_name_keys(cp, c) == (names._latin_keys(cp) or names._latin_keys(c))


def test_accounts_that_match_have_ends_that_agree() -> None:
    """`account_ends` is a necessary condition of `accounts_match` (`match_table` checks only the pairs
    that pass it), over the listed accounts and masked and spaced variants of them."""
    rng = random.Random(7)
    accounts = [a for a in ACCOUNTS + RELATED_ACCOUNTS if a] + [
        _random_account(rng) or "x" for _ in range(60)
    ]
    accounts += ["62 22-0200 1234 1234", "6222**02**1234", "*", "**", "6222•1234", "---", "ＡＢＣ@QQ.com"]
    fits = 0
    for a, b in _pairs(accounts):
        (ha, ta), (hb, tb) = names.account_ends(a), names.account_ends(b)
        if names.accounts_match(a, b):
            fits += 1
            assert ta.endswith(tb) or tb.endswith(ta), (a, b)
            assert ha.startswith(hb) or hb.startswith(ha), (a, b)
    assert fits > len(accounts)
