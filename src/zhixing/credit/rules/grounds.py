"""The six listing grounds (失信规定 Art 1), the Art 3 exceptions to ground (1), the term (Art 2(1))."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from zhixing.core.money import yuan

from .dates import add_years

# rule: — the six listing situations (失信规定 Art 1)
# -- listing grounds (失信规定 Art 1) -------------------------------------------------------------------
GROUNDS: dict[int, str] = {
    1: "有履行能力而拒不履行生效法律文书确定义务",
    2: "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
    3: "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
    4: "违反财产报告制度",
    5: "违反限制消费令",
    6: "无正当理由拒不履行执行和解协议",
}
GROUND_CHOICES = [(k, f"第{k}项：{v}") for k, v in GROUNDS.items()]

# -- Art 3: when a debtor must not be listed under item (1) (有履行能力而拒不履行) -----------------------
# (ii) is read from the asset register (the case's controlled total against what it still owes); the
# judge confirms what the record cannot know: (i), (iii) and (iv). Field names are the listing's.
GROUND1_EXCEPTIONS: dict[str, tuple[str, str]] = {
    "guarantee": ("guarantee_confirmed", "被执行人未提供充分有效担保（失信规定第3条第1项）"),
    "controlled": ("", "已查封、扣押、冻结的财产不足以清偿生效法律文书确定的债务（失信规定第3条第2项）"),
    "order": ("order_confirmed", "被执行人的履行顺序不在后，依法可对其强制执行（失信规定第3条第3项）"),
    "other": ("ability_confirmed", "不存在其他不属于有履行能力而拒不履行的情形（失信规定第3条第4项）"),
}
# rule: — Art 3 (i)–(iv)
GROUND1_JUDGE_CONFIRMS = tuple(f for f, _ in GROUND1_EXCEPTIONS.values() if f)


def controlled_covers(controlled: Decimal, owed: Decimal) -> bool:
    """Art 3(ii): property already seized, frozen or deducted suffices to pay what the case still owes."""
    return controlled >= owed


def ground1_refusal(controlled: Decimal, owed: Decimal) -> str:
    """The refusal the judge sees when the register answers Art 3(ii) (figures in yuan, 2 places)."""
    return (
        f"已控制财产 {yuan(controlled)} 元 / 尚欠 {yuan(owed)} 元：已查封、扣押、冻结的财产足以清偿，"
        "不得以第1项情形（有履行能力而拒不履行）纳入失信名单（失信规定第3条第2项）"
    )


BASE_TERM_YEARS = 2  # Art 2(1): grounds (2)–(6)
MAX_EXTENSION_YEARS = 3  # Art 2(1): extended by 1–3 years for serious cases


def term_years(ground: int, extension_years: int = 0) -> int | None:
    """Listing term in years: None (no fixed term) for ground 1, else 2 + an extension of 0 or 1–3.

    # rule: R-3.3.1
    # rule: R-3.3.2
    """
    if ground not in GROUNDS:
        raise ValueError("失信情形无效：应为第1至6项")
    if not 0 <= extension_years <= MAX_EXTENSION_YEARS:
        raise ValueError("延长期限应为1至3年")
    if ground == 1:
        if extension_years:
            raise ValueError("第1项情形无固定期限，不能延长")
        return None
    return BASE_TERM_YEARS + extension_years


def expiry_date(listed_on: date, ground: int, extension_years: int = 0) -> date | None:
    """Last day of the listing term; None for ground 1 (Art 2(1))."""
    years = term_years(ground, extension_years)
    return None if years is None else add_years(listed_on, years) - timedelta(days=1)
