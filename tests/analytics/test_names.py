"""Counterparty ↔ related person matching (names.py) at its edges, and through a profile."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zhixing.analytics import names, services

from .conftest import load
from .test_indicators import GENERIC, HEADER

FATHER = names.Related("张大伟", "6222020012341234", "父亲")
SPOUSE = names.Related("李四", "", "配偶")
BROTHER = names.Related("张小明", "", "兄弟")
RELATED = [FATHER, SPOUSE, BROTHER]


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("支付宝-李四", "李四"),
        ("微信转账-李四", "李四"),
        ("转账给李四", "李四"),
        ("李 四(个人)", "李四"),
        ("李四（个人）", "李四"),
        ("支付宝-转账-李四（个人）", "李四"),
        ("李四(1234)", "李四"),
        ("張三", "张三"),
        ("ＬＩ　ＳＩ", "lisi"),
        ("支付宝", "支付宝"),  # the platform alone is not a name to strip to nothing
    ],
)
def test_clean_name_strips_platform_wrappers_width_and_traditional_forms(text: str, clean: str) -> None:
    assert names.clean_name(text) == clean


@pytest.mark.parametrize(
    ("counterparty", "account", "who", "how"),
    [
        ("支付宝-李四", "", "李四", "name"),
        ("李四", "", "李四", "name"),
        ("李*", "", "李四", "masked"),
        ("*四", "", "李四", "masked"),
        ("LI SI", "", "李四", "pinyin"),
        ("Si Li", "", "李四", "pinyin"),
        ("lisi", "", "李四", "pinyin"),
        ("某某", "6222 0200 1234 1234", "张大伟", "account"),
        ("某某", "6222****1234", "张大伟", "account"),
        ("某某", "************1234", "张大伟", "account"),
        ("李四", "6222****1234", "张大伟", "account"),  # the account outranks the name
    ],
)
def test_match_says_whom_and_how(counterparty: str, account: str, who: str, how: str) -> None:
    m = names.match(counterparty, account, RELATED)
    assert m is not None and (m.related.name, m.how) == (who, how)


@pytest.mark.parametrize(
    ("counterparty", "account"),
    [
        ("王*", ""),  # another surname
        ("李**", ""),  # two hidden characters: not the two-character 李四
        ("李四四", ""),
        ("LI WU", ""),
        ("某某", "6222****9999"),  # the visible suffix differs
        ("某某", "***234"),  # three visible digits are too few to say anything
        ("***", ""),
        ("", ""),
    ],
)
def test_no_match(counterparty: str, account: str) -> None:
    assert names.match(counterparty, account, RELATED) is None


def test_a_masked_name_fitting_several_relatives_names_the_others() -> None:
    m = names.match("张*", "", RELATED)
    assert m is not None and (m.related.name, m.how, m.others) == ("张大伟", "masked", ("张小明",))
    assert m.label == "遮蔽姓名相符，亦可能为张小明"
    # two stars are exactly two hidden characters: 张大伟 and 张小明 both fit
    assert names.match("张**", "", RELATED).others == ("张小明",)  # type: ignore[union-attr]


def test_a_masked_name_that_fits_the_debtor_is_the_debtors_own_account() -> None:
    assert names.match("张*", "", RELATED, own_name="张三") is None
    assert names.match("李*", "", RELATED, own_name="张三").related.name == "李四"  # type: ignore[union-attr]


def test_accounts_match_edges() -> None:
    assert names.accounts_match("6222020012341234", "6222 0200 1234 1234")
    assert names.accounts_match("6222****1234", "6222****1234")
    assert names.accounts_match("6222****1234", "62220200****1234")
    assert not names.accounts_match("6222****1234", "6228****1234")
    assert not names.accounts_match("", "6222020012341234")
    assert not names.accounts_match("123", "123")  # too short to mean anything
    assert names.accounts_match("rim***@qq.com", "rimbaud@qq.com")


def test_same_person_name_never_by_masking() -> None:
    assert names.same_person_name("張 三", "张三")
    assert names.same_person_name("ZHANG SAN", "张三")
    assert not names.same_person_name("张*", "张三")


STATEMENT = HEADER + (
    "2026-03-01 10:00:00,-3000.00,支付宝-李某,,转账,CNY,,N1\n"
    "2026-03-02 10:00:00,-2000.00,李*,,转账,CNY,,N2\n"
    "2026-03-03 10:00:00,-1500.00,LI MOU,,转账,CNY,,N3\n"
    "2026-03-04 10:00:00,-1000.00,某人,6222****5678,转账,CNY,,N4\n"
    "2026-03-05 10:00:00,-9000.00,张*,,转账,CNY,,N5\n"  # fits the debtor's own name only
    "2026-03-06 10:00:00,-9000.00,王某,,转账,CNY,,N6\n"
)


def test_profile_counts_transfers_to_a_spouse_written_four_ways(
    debtor: Any, people: dict[str, Any], presets: Any
) -> None:
    judge = people["judge"]
    generic = services.save_preset(judge, dict(GENERIC))
    assert load(debtor, judge, generic, STATEMENT.encode()).imported == 6
    services.add_related_person(judge, debtor, name="李某", relation="spouse", account="6222000011115678")
    p = services.compute_profile(judge, debtor, start=date(2026, 1, 1), end=date(2026, 6, 30))
    got = {
        r["counterparty"]: (r["related"], r["how"], Decimal(str(r["total"]))) for r in p.indicators["related"]
    }
    assert got == {
        "支付宝-李某": ("李某", "name", Decimal("3000.00")),
        "李*": ("李某", "masked", Decimal("2000.00")),
        "LI MOU": ("李某", "pinyin", Decimal("1500.00")),
        "某人": ("李某", "account", Decimal("1000.00")),
    }
    (finding,) = [f for f in p.findings if f["rule"] == "related_transfers"]
    assert "支付宝-李某（即李某，名称相符）3000.00元" in finding["detail"]
    assert "某人（即李某，账号相符）1000.00元" in finding["detail"]
