"""What the clerk records of a debtor for the Art 8 notices: a state functionary and the employer,
a unit's nature and superior (`record_profile`); a debtor already published is told at once."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhixing.cases.models import EnforcementCase, Party
from zhixing.core import audit
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from .. import rules
from ..models import DebtorProfile, Listing, NoticeRecipient
from .notice_options import option
from .notice_queue import queue_listing_notices


# -- the clerk's record ---------------------------------------------------------------------------------
def may_record(user: Any, court: Any) -> bool:
    """The clerk (filing), the judge or the director of the case's own court record a debtor's profile."""
    can = getattr(user, "can", None)
    if not getattr(user, "is_active", False) or can is None or not can_write_court(user, court):
        return False
    return bool(can(Cap.CREDIT_DECIDE) or can(Cap.CASE_FILE))


def record_profile(
    actor: Any,
    case: EnforcementCase,
    party: Party,
    *,
    state_functionary: bool = False,
    employer: NoticeRecipient | None = None,
    unit_nature: str = "",
    superior: NoticeRecipient | None = None,
) -> DebtorProfile:
    """Record (or change) what Art 8 needs about a debtor: a person's public office and employer, a
    unit's nature and superior. Notices already queued keep their recipients; a debtor already published
    is notified at once to the recipients the record adds."""
    if not may_record(actor, case.court):
        raise NotPermitted("只有本院书记员、执行法官或局长可以登记被执行人的通报信息")
    if party.case_id != case.pk or party.role != Party.Role.DEBTOR:
        raise ServiceError("只能登记本案被执行人的通报信息", field="party")
    person = party.kind == Party.Kind.PERSON
    if unit_nature not in rules.UNIT_NATURES:
        raise ServiceError("单位性质无效", field="unit_nature")
    if person and (unit_nature or superior):
        raise ServiceError("自然人被执行人不登记单位性质和上级单位", field="unit_nature")
    if not person and (state_functionary or employer):
        raise ServiceError("单位被执行人不登记公职人员身份和所在单位", field="state_functionary")
    if state_functionary and employer is None:
        raise ServiceError("公职人员须选择其所在单位（失信规定第8条：通报其所在单位）", field="employer")
    if employer is not None and (not state_functionary or employer.kind != NoticeRecipient.Kind.EMPLOYER):
        raise ServiceError("所在单位须为公职人员的用人单位类通报对象", field="employer")
    needs_superior = not person and unit_nature in option("superior_natures")
    if needs_superior and superior is None:
        raise ServiceError(
            "国家机关、国有企业等须选择其上级单位或主管部门（失信规定第8条）", field="superior"
        )
    if superior is not None and (not needs_superior or superior.kind != NoticeRecipient.Kind.SUPERIOR):
        raise ServiceError(
            "上级单位须为上级单位/主管部门类通报对象，且仅适用于国家机关、国有企业等", field="superior"
        )
    with transaction.atomic():
        profile = DebtorProfile.objects.select_for_update().filter(party=party).first()
        before = (
            None
            if profile is None
            else {
                "state_functionary": profile.state_functionary,
                "employer": profile.employer_id,
                "unit_nature": profile.unit_nature,
                "superior": profile.superior_id,
            }
        )
        profile = profile or DebtorProfile(party=party)
        profile.state_functionary, profile.employer = state_functionary, employer
        profile.unit_nature, profile.superior, profile.recorded_by = unit_nature, superior, actor
        profile.save()
        audit.record(
            actor,
            "credit.debtor_profile",
            object_type="Party",
            object_id=party.pk,
            case_id=case.pk,
            before=before,
            after={
                "state_functionary": state_functionary,
                "employer": employer.name if employer else None,
                "unit_nature": unit_nature,
                "superior": superior.name if superior else None,
            },
        )
        # A debtor already published: the recipients the record adds are told now (each once).
        for listing in Listing.objects.filter(party=party, status=Listing.Status.ACTIVE, registered=True):
            queue_listing_notices(actor, listing, "listed")
    return profile
