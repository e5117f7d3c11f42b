"""Correction applications (失信规定 Arts 11–12): the fields, the review, fix and 复议 periods."""

from __future__ import annotations

from datetime import date, timedelta

from zhixing.core.workdays import WorkCalendar

from .dates import period_end

CORRECTION_REVIEW_DAYS = 15  # Art 12: review within 15 days
CORRECTION_FIX_WORKDAYS = 3  # Art 12: correct within 3 working days
RECONSIDERATION_DAYS = 10  # Art 12 / 执行异议复议规定 Art 9: 10 days to ask the higher court


def correction_review_due(received_on: date, cal: WorkCalendar) -> date:
    """Art 12: the enforcing court reviews within 15 (calendar) days of the written application.

    # rule: R-3.3.19
    """
    return period_end(received_on + timedelta(days=CORRECTION_REVIEW_DAYS), cal)


def correction_fix_due(decided_on: date, cal: WorkCalendar) -> date:
    return cal.add_workdays(decided_on, CORRECTION_FIX_WORKDAYS)


def reconsideration_due(served_on: date, cal: WorkCalendar) -> date:
    """Art 12: the applicant asks the next-higher court within 10 days of service of the rejection."""
    return period_end(served_on + timedelta(days=RECONSIDERATION_DAYS), cal)


# -- correction applications (失信规定 Arts 11–12) ---------------------------------------------------------
# Art 12's "十五日" are calendar days (the rules say 工作日 where they mean working days, as for the
# 3-day fix); a period whose last day is a rest day runs to the next working day (CPL-2021 Art 85).
CORRECTION_HIGHER_REVIEW_DAYS = 15  # Art 12: the next-higher court decides the 复议 within 15 days
# What an upheld "information inaccurate" application may correct: every published item of Art 6.
CORRECTABLE_FIELDS: dict[str, str] = {
    "name": "姓名/名称",
    "subject_key": "身份证号码/统一社会信用代码",
    "sex": "性别",
    "age": "年龄",
    "legal_representative": "法定代表人/负责人",
    "obligation": "生效法律文书确定的义务",
    "performance": "被执行人的履行情况",
    "dishonest_act": "具体失信行为",
    "document_number": "决定书文号",
}


def correction_higher_review_due(filed_on: date, cal: WorkCalendar) -> date:
    """Art 12: the next-higher court decides the 复议 within 15 days of receiving the application."""
    return period_end(filed_on + timedelta(days=CORRECTION_HIGHER_REVIEW_DAYS), cal)


def correction_overdue(
    status: str,
    review_due: date | None,
    fix_due: date | None,
    higher_review_due: date | None,
    today: date,
) -> str:
    """Which Art 12 period of a correction application has run out unmet ("" if none).

    review: the enforcing court has not decided within 15 days; fix: an upheld application not corrected
    within 3 working days; higher: the next-higher court has not decided the 复议 within 15 days.
    """
    if status == "pending" and review_due is not None and today > review_due:
        return "review"
    if status == "upheld" and fix_due is not None and today > fix_due:
        return "fix"
    if status == "reconsidering" and higher_review_due is not None and today > higher_review_due:
        return "higher"
    return ""
