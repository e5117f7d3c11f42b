"""The inquiry domain's main-menu entries (查控): approvals, log, centralised inquiry, expiring
controls, triage queue."""

from typing import Any

from zhixing.core.navigation import Entry, Section, caps, register, register_section
from zhixing.courts.roles import Cap

from . import access

_INQUIRY_CAPS = (Cap.INQUIRY_REQUEST, Cap.ASSET_REGISTER_VIEW, Cap.INQUIRY_LOG_EXPORT, Cap.INQUIRY_CONTROL)


def _approver(user: Any) -> bool:
    return getattr(user, "court_id", None) is not None and user.role in access.approval_chain()


def _triage(user: Any) -> bool:
    return access.can_see_triage_queue(user)


def install() -> None:
    register_section(Section("inquiry", "查控", 20, paths=("/inquiry/",)))
    register(
        Entry("inquiry", "inquiry-approvals", "查控审批", "inquiry_approvals", 10, _approver),
        Entry(
            "inquiry",
            "inquiry-centralised",
            "集中查控",
            "inquiry_centralised",
            20,
            caps(Cap.INQUIRY_REQUEST, court=True),
        ),
        Entry(
            "inquiry",
            "controls",
            "控制到期",
            "inquiry_controls",
            30,
            caps(Cap.ASSET_REGISTER_VIEW, court=True),
            badge_url_name="inquiry_control_alert_badge",
        ),
        Entry("inquiry", "inquiry-log", "查控日志", "inquiry_log", 40, caps(*_INQUIRY_CAPS)),
        Entry("inquiry", "triage-queue", "繁简分流", "triage_queue", 50, _triage),
        Entry(
            "inquiry",
            "dormant-registry",
            "终本案件库",
            "inquiry_dormant_registry",
            60,
            caps(Cap.CASE_READ, court=True),
        ),
    )
