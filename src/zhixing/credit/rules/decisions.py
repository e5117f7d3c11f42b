"""Credit decisions: how a measure is started, the grace period, president approval, service and its
periods, and the enforcement notice that must precede a measure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from zhixing.core import service_of_documents as _service
from zhixing.core.workdays import WorkCalendar

from .dates import add_months, period_end
from .exit_restriction import exit_reconsideration_due

APPLICATION_DECISION_DAYS = 15  # Art 5(2): decide within 15 days of receiving the application


GRACE_MONTHS = (0, 1, 2, 3)  # 善意文明执行意见: a 1–3-month grace period is optional
# The 1–3 months are read in a secondary source only ([P20], rules.md §3.3), so the longest grace a court
# may give is configuration: ZHIXING_CREDIT_DECISIONS["grace_months_max"] (default 3; 0 = no grace).
GRACE_MONTHS_MAX = 3
GRACE_MONTHS_CEILING = 12  # no setting may make the grace longer than a year (a sanity bound, not law)


# -- how a measure is started: on the applicant's (written) application or ex officio -------------------
# 失信规定 Art 5(2) (listing), 限制消费规定 Art 4 (consumption restriction: "一般应由申请执行人提出书面申请；
# 必要时人民法院可以依职权决定"), 执行程序解释 Art 23 (exit restriction: the same wording).
INITIATIONS: dict[str, str] = {"application": "依申请", "ex_officio": "依职权"}


def initiation_refusal(initiation: str) -> str:
    """Why `initiation` is not a way to start a credit measure ("" when it is).

    # rule: R-3.4.7
    # rule: R-3.5.1
    """
    if initiation in INITIATIONS:
        return ""
    return "请选择启动方式：依申请执行人书面申请或人民法院依职权（限制消费规定第4条；执行程序解释第23条）"


def grace_choices(max_months: int = GRACE_MONTHS_MAX) -> tuple[int, ...]:
    """The grace periods a court may give, in months (0 = none): 0 and 1 … `max_months`."""
    return tuple(range(0, max(0, min(max_months, GRACE_MONTHS_CEILING)) + 1))


def grace_refusal(grace_months: int, max_months: int = GRACE_MONTHS_MAX) -> str:
    """Why `grace_months` may not be given ("" when it may).

    # rule: R-3.3.8
    善意文明执行意见 (法发〔2019〕35号, rules.md §3.3): the court may give a 1–3-month grace period before the
    listing is published / the consumption restriction applies; the maximum is configuration."""
    if grace_months in grace_choices(max_months):
        return ""
    if max_months <= 0:
        return "本院不设宽限期"
    return f"宽限期应为1至{min(max_months, GRACE_MONTHS_CEILING)}个月，或不设宽限期"


def publish_date(decided_on: date, grace_months: int) -> date:
    """First day the listing may be published: after the optional grace period (months, checked against
    the configured maximum by :func:`grace_refusal` when the decision is made)."""
    if not 0 <= grace_months <= GRACE_MONTHS_CEILING:
        raise ValueError("宽限期应为1至12个月以内（或不设宽限期）")
    return add_months(decided_on, grace_months) if grace_months else decided_on


def application_decision_due(received_on: date, cal: WorkCalendar) -> date:
    """Art 5(2): the court decides within 15 days of receiving the applicant's application.

    # rule: R-3.3.5
    Calendar days, the day of receipt not counted; a last day on a statutory rest day runs to the next
    working day (CPL Art 85), as every other 失信规定 period here (Art 12)."""
    return period_end(received_on + timedelta(days=APPLICATION_DECISION_DAYS), cal)


# -- decisions signed by the court president, served on the debtor (issue 14 item 6) --------------------
# Which credit decisions need the court president's signature before they take effect. Sources:
# * 限制消费令: 限制消费规定 Art 5 "限制消费令由人民法院院长签发" (rules.md §3.4, 2010 wording [L16]; the
#   2015 wording is UNCONFIRMED there) — default True;
# * 纳入失信决定书: rules.md §3.3 cites the 善意文明执行意见 (法发〔2019〕35号 [P20]) "signed after review by
#   the court president"; the 2017 wording of 失信规定 Art 5(3) is only partly seen — default True;
# * 限制出境决定书: no rule in rules.md §3.5 asks for the president — the judge decides (not configurable).
# UNCONFIRMED items are configuration (settings ZHIXING_CREDIT_DECISIONS["president_approval"]).
PRESIDENT_APPROVAL_DEFAULT: dict[str, bool] = {"listing": True, "consumption": True}

# How a document is served and when service takes effect: the pure module shared with cases (the
# enforcement notice), re-exported here under credit's names (docs/rules-additions.md "Service of credit
# decisions").
SERVICE_METHODS = _service.SERVICE_METHODS
PUBLICATION_SERVICE_DAYS = _service.PUBLICATION_SERVICE_DAYS
deemed_served_on = _service.deemed_served_on


def consumption_effective_on(served_on: date, grace_months: int) -> date:
    """# rule: R-3.4.9
    A 限制消费令 binds the debtor from its service, after any grace period counted from service
    (善意文明执行意见, rules.md §3.3: the grace is given to the served debtor to perform)."""
    return publish_date(served_on, grace_months)


def listing_publish_on(decided_on: date, served_on: date | None, grace_months: int) -> date:
    """Publication of a listing: the decision takes effect the day it is made (失信规定 Art 5(3)); with a
    1–3-month grace period, publication waits until the grace, counted from service, has run out. Before
    service the grace is counted provisionally from the decision."""
    if not grace_months:
        return decided_on
    return publish_date(served_on or decided_on, grace_months)


@dataclass(frozen=True)
class ServicePeriods:
    """Every period of a served credit decision, counted from the day service took effect."""

    served_on: date
    effective_on: date | None  # 限制消费令: binds from service (+ grace)
    publish_on: date | None  # 失信决定书: published after the grace counted from service
    reconsideration_due: date | None  # 限制出境: 复议 within 10 days of service (执行异议复议规定 Art 9)


def service_periods(
    kind: str, method: str, on: date, grace_months: int, decided_on: date, cal: WorkCalendar
) -> ServicePeriods:
    """The periods of a decision of `kind` (listing / consumption / exit) served by `method` on `on`."""
    served = deemed_served_on(method, on)
    return ServicePeriods(
        served_on=served,
        effective_on=consumption_effective_on(served, grace_months) if kind == "consumption" else None,
        publish_on=listing_publish_on(decided_on, served, grace_months) if kind == "listing" else None,
        reconsideration_due=exit_reconsideration_due(served, cal) if kind == "exit" else None,
    )


# -- the enforcement notice before the measures (失信规定 Art 5(1); 限消规定 Art 1) ----------------------
def listing_notice_refusal(served_on: date | None, listing_warning: bool, today: date) -> str | None:
    """Why a listing may not be decided yet: the enforcement notice carrying the risk warning about the
    dishonest list has not been served on the debtor (失信规定 Art 5(1)). None when it may.

    # rule: R-3.3.20
    """
    if served_on is None or not listing_warning:
        return (
            "执行通知书（载明纳入失信被执行人名单的风险提示）尚未送达被执行人，"
            "不能纳入失信名单（失信规定第5条第1款）"
        )
    if served_on > today:
        return f"执行通知书于{served_on:%Y年%m月%d日}方视为送达，送达前不能纳入失信名单（失信规定第5条第1款）"
    return None


def consumption_notice_refusal(
    served_on: date | None, period_ends_on: date | None, today: date
) -> str | None:
    """Why a consumption restriction may not be ordered yet: the debtor has not yet failed to perform within
    the period the served enforcement notice fixed (限消规定 Art 1(1)). None when it may. The mandatory
    restriction of a listed debtor (Art 1(2)) follows the listing and is not checked here.

    # rule: R-3.4.20
    """
    if served_on is None or period_ends_on is None:
        return "执行通知书尚未送达被执行人，不能限制消费（限消规定第1条第1款：未按执行通知书指定的期间履行）"
    if today <= period_ends_on:
        return (
            f"执行通知书指定的履行期间至{period_ends_on:%Y年%m月%d日}届满，"
            "期满仍未履行的方可限制消费（限消规定第1条第1款）"
        )
    return None
