"""Case settings with their defaults, read at call time from ``settings.ZHIXING_CASES`` (a dict).

* ``no_money_application_fee``: the enforcement application fee of a case without a money amount
  (诉讼费用交纳办法 Art 14(1): "没有执行金额或者价额的，每件交纳50元至500元"). The measures fix only the
  band; the amount within it is the court's, so it is configuration with a default of 50 yuan, and a
  value outside the band is refused at start of use (never silently clipped).
* ``payment_order``: the order payments are applied in when the parties agreed none (迟延履行利息解释
  Art 4 puts the doubled interest last; costs → general interest → principal inside the money debt is
  民法典 Art 561 by analogy, UNCONFIRMED in rules.md, so configurable). The doubled part must stay last.
* ``interest_day_basis``: the days of a year an adjudged annual rate is divided by for daily running
  interest (365 default; 360 is the banks' convention). rules.md has no rule → UNCONFIRMED,
  configuration (# rule: R-6.3.9).
* ``extension_limit``: how many times the term may be extended (审限规定 Art 5: the president's
  extension, then further ones reported up to the higher people's court; rules.md gives no count →
  UNCONFIRMED, default 2).
* ``case_number_brackets``: "full" (default, （2026）粤0106执1号) or "half" ((2026)粤0106执1号). rules.md
  §1.2: full-width is the customary form, UNCONFIRMED from the official text (rule R-1.2.2).
* ``closing_notice_required``: whether closing as 执行完毕 needs the 结案通知书 number (default True;
  2014 立结案意见 Art 15, UNCONFIRMED in rules.md §2.4, rule R-2.4.1).
* ``dormant_interview_required``: whether 终本 needs the date of the interview (约谈) with the applicant
  (default True; 终本规定, article number UNCONFIRMED in rules.md §5, rule R-5.4).
* The measures that stay after 终本 (rules.md §5, UNCONFIRMED) are the configurable ``closed_dormant``
  cells of the consequence table: ``settings.ZHIXING_CONSEQUENCES`` (measures app), rule R-5.7.
* ``notice_performance_days``: the days the enforcement notice (执行通知书) gives the debtor to perform,
  counted from its service (0 = "立即履行", the period ends on the day of service; a last day on a holiday
  rolls to the next working day, CPL Art 85). rules.md is silent on the length (限消规定 Art 1(1) and
  执行工作规定 Art 26 speak only of "执行通知书指定的期间"), so it is configuration with a default of 3 days
  (docs/rules-additions.md §2 "The period the enforcement notice fixes"; rule R-2.2.20).
* ``coordination_stops_term``: whether a coordination of an enforcement dispute between courts
  (执行争议协调, `ExcludedPeriod` kind ``coordination``) stops the enforcement term too. 执行程序解释
  Art 13 takes it out of the 6 months for applying to the higher court (always, rule R-2.1.7); 审限规定
  Art 9's list (rules.md §2.1) does not name it, so by default the term runs (False; rule R-2.1.8).
* ``asset_report_days``: the reporting period the 报告财产令 fixes (财产调查规定 Art 4(1): the order states
  "提交财产报告的期限"; no article fixes its length), counted from the deemed day of service of the notice it
  is issued with (a last day on a holiday rolls to the next working day, CPL Art 85). rules.md is silent, so
  it is configuration with a default of 5 days (docs/rules-additions.md "The reporting period of the
  报告财产令"; rule R-0.8).
* ``interest_excluded``: overrides (key → bool) of the UNCONFIRMED rows of
  `interest_exclusions.EXCLUSIONS` (e.g. ``{"suspension:bankruptcy": True}``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .fees import NO_MONEY_FEE_MAX, NO_MONEY_FEE_MIN
from .schedule import Bucket, parse_order

DEFAULTS: dict[str, Any] = {
    "no_money_application_fee": "50.00",
    "payment_order": "costs,interest,principal,doubled",
    "interest_excluded": {},
    "interest_day_basis": 365,
    "extension_limit": 2,
    "case_number_brackets": "full",
    "closing_notice_required": True,
    "dormant_interview_required": True,
    "notice_performance_days": 3,
    "coordination_stops_term": False,
    # 2006 期限规定 Art 4 (notice within 3 days of the officer's receipt): off by default — the later
    # judicial interpretation (民诉解释 Art 480: 10 days from receipt of the application) prevails.
    "notice_within_3_days_of_assignment": False,
    "asset_report_days": 5,
}


def option(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "ZHIXING_CASES", {})}[name]


def no_money_application_fee() -> Decimal:
    """The configured fee for a case without a money amount, checked against the statutory band."""
    raw = option("no_money_application_fee")
    try:
        fee = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ImproperlyConfigured(f"ZHIXING_CASES['no_money_application_fee'] 不是金额：{raw!r}") from None
    if not NO_MONEY_FEE_MIN <= fee <= NO_MONEY_FEE_MAX:
        raise ImproperlyConfigured(
            f"ZHIXING_CASES['no_money_application_fee'] 须在{NO_MONEY_FEE_MIN}至{NO_MONEY_FEE_MAX}元之间"
            f"（诉讼费用交纳办法第14条），现为{fee}"
        )
    return fee


def payment_order() -> tuple[Bucket, ...]:
    """The default order of applying payments; the doubled part last (Art 4), checked at use."""
    raw = option("payment_order")
    try:
        order = parse_order(str(raw))
    except ValueError as exc:
        raise ImproperlyConfigured(f"ZHIXING_CASES['payment_order'] 无效：{exc}") from None
    if order[-1] != Bucket.DOUBLED:
        raise ImproperlyConfigured(
            "ZHIXING_CASES['payment_order'] 须以 doubled 结尾："
            "加倍部分债务利息最后清偿（迟延履行利息解释第4条）"
        )
    return order


def interest_excluded() -> dict[str, bool]:
    """Overrides of the UNCONFIRMED rows of the interest-exclusion table."""
    raw = option("interest_excluded") or {}
    if not isinstance(raw, dict):
        raise ImproperlyConfigured("ZHIXING_CASES['interest_excluded'] 须为字典（期间类型 → 是否不计息）")
    return {str(k): bool(v) for k, v in raw.items()}


def interest_day_basis() -> int:
    """Days of a year for an annual rate's daily interest: 365 (default) or 360."""
    raw = option("interest_day_basis")
    if raw not in (360, 365):
        raise ImproperlyConfigured(f"ZHIXING_CASES['interest_day_basis'] 须为360或365，现为{raw!r}")
    return int(raw)


def extension_limit() -> int:
    """How many extensions of the enforcement term may be approved (default 2)."""
    raw = option("extension_limit")
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 1:
        raise ImproperlyConfigured(f"ZHIXING_CASES['extension_limit'] 须为正整数，现为{raw!r}")
    return raw


def full_width_brackets() -> bool:
    """Whether case numbers are written with full-width brackets （） (default) or half-width ()."""
    raw = option("case_number_brackets")
    if raw not in ("full", "half"):
        raise ImproperlyConfigured(f"ZHIXING_CASES['case_number_brackets'] 须为 full 或 half，现为{raw!r}")
    return bool(raw == "full")


def optional_closing_fields() -> dict[str, frozenset[str]]:
    """Closing fields the configuration makes optional (mode → field names)."""
    out: dict[str, frozenset[str]] = {}
    for key, mode, name in (
        ("closing_notice_required", "performed", "document_ref"),
        ("dormant_interview_required", "dormant", "interview_on"),
    ):
        raw = option(key)
        if not isinstance(raw, bool):
            raise ImproperlyConfigured(f"ZHIXING_CASES['{key}'] 须为 True 或 False，现为{raw!r}")
        if not raw:
            out[mode] = out.get(mode, frozenset()) | {name}
    return out


def notice_performance_days() -> int:
    """Days the enforcement notice gives for performance from its service (default 3; 0 = immediately).

    # rule: R-2.2.20
    """
    raw = option("notice_performance_days")
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw <= 60:
        raise ImproperlyConfigured(f"ZHIXING_CASES['notice_performance_days'] 须为0至60的整数，现为{raw!r}")
    return raw


def notice_within_3_days_of_assignment() -> bool:
    """Whether the first assignment brings the notice forward to 3 days after it (2006 期限规定 Art 4).

    Default False: the later judicial interpretation's 10 days from receipt (民诉解释 Art 480) prevail, as
    rules.md reads the later JI for lead verification (R-2.2.10). A court that keeps the 2006 internal
    deadline switches it on.

    # rule: R-2.2.13
    """
    return bool(option("notice_within_3_days_of_assignment"))


def coordination_stops_term() -> bool:
    """Whether 执行争议协调 stops the enforcement term (default False: 审限规定 Art 9 does not name it)."""
    return bool(option("coordination_stops_term"))


def asset_report_days() -> int:
    """Days the 报告财产令 gives the debtor to report, from the notice's service (default 5; 1 to 60).

    # rule: R-0.8
    """
    raw = option("asset_report_days")
    if not isinstance(raw, int) or isinstance(raw, bool) or not 1 <= raw <= ASSET_REPORT_DAYS_MAX:
        raise ImproperlyConfigured(f"ZHIXING_CASES['asset_report_days'] 须为1至60的整数，现为{raw!r}")
    return raw


ASSET_REPORT_DAYS_MAX = 60  # the node type's budget; the configured period caps it (Node.due_cap)
