"""The inquiry settings with their defaults (zhixing.config.settings.partners), read at call time."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from zhixing.config.settings import partners as defaults

# Periodic re-inquiry of dormant (终本) cases, 终本规定 Art 9(2) (rules.md §5): every 6 months for 5 years
# after 终本. Kept configurable (settings.ZHIXING_INQUIRY) in case local rules set a shorter period.
DORMANT_DEFAULTS: dict[str, Any] = {
    "dormant_period_months": 6,
    "dormant_years": 5,
    # Categories searched by the automatic round; empty = those ticked by default for 一键查控.
    "dormant_categories": [],
    # Cases read per page by the daily run (each case is filed in its own transaction).
    "dormant_page": 200,
    # Due case ids read per query by the daily sweep (ids only), then queued in jobs of `dormant_page`:
    # fewer round trips at national scale, the same small jobs for the consumers.
    "dormant_sweep_read": 10000,
}


# The 查控日志 export: at most this many rows (newest first) per file; never above what one Excel
# worksheet holds (1,048,576 rows with the header), see `export.row_limit`.
EXPORT_DEFAULTS: dict[str, Any] = {"log_export_max_rows": 1_000_000}


# Controls over time (rules.md §6.1): the court-wide list of expiring and lapsed controls, its bulk
# renewal, and the alerts. `warn_days` (the warning window, default 30) is in settings ZHIXING_INQUIRY.
EXPIRY_DEFAULTS: dict[str, Any] = {
    # Rows per page of the list (and of its API).
    "controls_page": 50,
    # At most this many controls renewed by one click (one transaction).
    "renew_bulk_max": 200,
    # Lapsed controls and taken-effect queued seizures stay on the alert panels this many days.
    "alert_days": 30,
    # Assets handled per transaction by the nightly term sweep (warnings, lapses).
    "term_sweep_batch": 1000,
}


# Triage (繁简分流), seed 004 — a local practice, so every value is UNCONFIRMED configuration
# (`rules_triage`): the claim thresholds are `triage_simple_max` / `triage_complex_min` in
# settings.partners; "经再次查询财产无果" is two answered rounds; "涉及人员众多" has no number in the
# seed; triage follows "查控、送达" (the notice node done); the act-performance obligations proposed for
# the simple track ("通过协助执行通知书可以办结的行为执行案件").
TRIAGE_DEFAULTS: dict[str, Any] = {
    "triage_empty_rounds": 2,
    "triage_mass_parties": 10,
    "triage_after_notice": True,
    "triage_act_obligations": ["deliver", "vacate", "act"],
}


def option(name: str) -> Any:
    merged = {
        **DORMANT_DEFAULTS,
        **EXPORT_DEFAULTS,
        **EXPIRY_DEFAULTS,
        **TRIAGE_DEFAULTS,
        **defaults.ZHIXING_INQUIRY,
        **getattr(settings, "ZHIXING_INQUIRY", {}),
    }
    return merged[name]


def sandbox_url() -> str:
    return str(getattr(settings, "ZHIXING_SANDBOX_URL", defaults.ZHIXING_SANDBOX_URL)).rstrip("/")


def platform_url() -> str:
    return str(getattr(settings, "ZHIXING_PLATFORM_URL", defaults.ZHIXING_PLATFORM_URL)).rstrip("/")


def callback_url() -> str:
    return f"{platform_url()}/api/v1/inquiry/callback"
