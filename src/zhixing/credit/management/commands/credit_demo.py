"""``manage.py credit_demo``: media partners and exposed listings in every delivery state for the demo.

`seed_demo` runs it after loading the demo courts. It adds the sandbox's media partners (their codes
and the sandbox's derived secrets; the base URL empty, so ZHIXING_SANDBOX_URL is used), lists a few
open debtors of 天河区法院 (the demo judge th_judge1's court) under 失信规定 Art 1(4), exposes them, and
replays the media partners' answers through the dispatcher's own `apply_answer`, so the case pages
show notices sent (with impressions), refused with the partner's reason, failed, awaiting a retry,
withdrawn, and one still queued that `make run`'s worker delivers to the live sandbox within a minute
(the sandbox then reports its views back every minute). Refused in production, like the demo itself;
it does nothing when media partners exist already.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhixing.cases.models import OPEN_STATUSES, Obligation, Party
from zhixing.cases.services import issue_and_serve_notice
from zhixing.core.errors import ServiceError
from zhixing.partners.sandbox.holdings import partner_secret
from zhixing.partners.sandbox.media import MEDIA_PARTNERS

from ... import demo_corrections, demo_states
from ...models import ExposureNotice, Listing, Partner
from ...services import (
    ListingData,
    create_partner,
    delivery,
    expose,
    list_debtor,
    remove_listing,
    report_impressions,
    withdraw_exposure,
)

# code → area the platform targets. 天河区融媒体中心 is configured for the whole province although it
# publishes only in 天河 (440106): its refusals for other districts show the partner's reason.
PLATFORM_AREAS = {"MEDIA-GZTV": "4401", "MEDIA-SZNEWS": "4403", "MEDIA-GDAPP": "44", "MEDIA-THRM": "44"}
LOCAL = "440106"
COURT = "粤0106"
JUDGE = "th_judge1"


def _answer(n: ExposureNotice, reply: dict[str, Any] | None, error: str = "") -> None:
    delivery.claim(1, only=[n.pk])
    delivery.apply_answer(n.pk, n.idempotency_key, reply, error)


def _sent(n: ExposureNotice, views: int) -> None:
    _answer(n, {"status": "done", "result": {"ref": f"{n.partner.code}-{n.pk:06d}"}})
    report_impressions(n.partner, n.pk, views)


def _area_refusal(n: ExposureNotice) -> dict[str, Any]:
    name, areas = MEDIA_PARTNERS[n.partner.code]
    return {
        "status": "error",
        "error": "area_not_covered",
        "retryable": False,
        "reason": f"{name}仅受理{'、'.join(areas)}地区的曝光，不覆盖{n.area_name}（{n.area_code}）",
    }


def _replay(n: ExposureNotice, plan: str, views: int) -> None:
    """Answer one notice as its sandbox partner would, for the state `plan` wants shown."""
    code = n.partner.code
    if plan == "queued":
        return  # `make run`'s worker delivers it to the live sandbox
    if not any(n.area_code.startswith(a) for a in MEDIA_PARTNERS[code][1]):
        _answer(n, _area_refusal(n))  # whatever the plan: this partner does not publish there
    elif plan == "failed" and code == "MEDIA-GDAPP":
        for _ in range(int(delivery.option("max_attempts"))):
            ExposureNotice.objects.filter(pk=n.pk).update(due_at=n.created_at)
            _answer(n, None, "连接失败或超时（TimeoutError）")
    elif plan == "retry" and code == "MEDIA-GDAPP":
        for _ in range(int(delivery.option("max_attempts")) - 1):  # the last try is still to come
            ExposureNotice.objects.filter(pk=n.pk).update(due_at=n.created_at)
            _answer(n, None, "对方返回 HTTP 503")
    else:
        _sent(n, views)


class Command(BaseCommand):
    help = "生成信用惩戒演示数据：沙箱媒体单位，以及已推送、被拒收、推送失败、待重试、已撤回、待推送的曝光"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        if Partner.objects.filter(kind=Partner.Kind.MEDIA).exists():
            return
        judge = get_user_model().objects.filter(username=JUDGE).first()
        with transaction.atomic():
            for code, (name, _) in MEDIA_PARTNERS.items():
                create_partner(
                    None,
                    name=name,
                    kind=Partner.Kind.MEDIA,
                    area_code=PLATFORM_AREAS[code],
                    code=code,
                    shared_secret=partner_secret(code),
                )
            made = self._exposures(judge) if judge is not None else 0
            states = demo_states.seed(judge) if judge is not None else {}  # applications, partner checks
            states["corrections"] = demo_corrections.seed(judge)  # 纠正申请 and 复议 (issue 14)
        if opts.get("verbosity", 1):
            self.stdout.write(
                f"已生成演示媒体单位 {len(MEDIA_PARTNERS)} 家、曝光的失信被执行人 {made} 名；{states}"
            )

    def _debtors(self) -> list[Party]:
        return list(
            Party.objects.filter(
                role=Party.Role.DEBTOR,
                kind=Party.Kind.PERSON,
                is_minor=False,
                id_number__startswith="44",
                case__court__code=COURT,
                case__status__in=OPEN_STATUSES,
                case__obligation=Obligation.MONEY,
            )
            # Debtors another demo (measures_demo) has listed already are left to it.
            .exclude(pk__in=Listing.objects.filter(status=Listing.Status.ACTIVE).values("party_id"))
            .select_related("case", "case__court")
            .order_by("-pk")[:30]
        )

    def _exposures(self, judge: Any) -> int:
        # (state to show, views, whether a 天河 debtor suits it: others show 天河融媒体's refusal too)
        plans = [
            ("sent", 12480, True),
            ("failed", 3916, False),
            ("withdrawn", 8260, True),
            ("retry", 1024, False),
            ("queued", 0, False),
        ]
        debtors = self._debtors()
        made = 0
        for plan, views, local in plans:
            pool = sorted(debtors, key=lambda p: p.id_number.startswith(LOCAL) != local)
            for party in pool:
                try:
                    with transaction.atomic():
                        issue_and_serve_notice(judge, party.case, on=party.case.filed_on)  # 失信规定 Art 5(1)
                        x = list_debtor(
                            judge,
                            party.case,
                            party,
                            ListingData(ground=4, dishonest_act="未按执行通知报告财产"),
                        )
                        notices = expose(judge, x)
                except ServiceError:
                    continue  # an invalid or already listed debtor: take the next one
                debtors.remove(party)
                break
            else:
                break
            for i, n in enumerate(notices):
                _replay(n, plan, views // (i + 1))
            if plan == "withdrawn":
                # A fixed-term listing (ground 4) is not deleted on an Art 10(1) trigger (Art 10(2)); the
                # court deletes it early because the debtor performed the settlement (Art 2(2)).
                remove_listing(
                    judge, Listing.objects.get(pk=x.pk), trigger="early", note="和解协议已履行完毕，提前删除"
                )
                withdraw_exposure(
                    judge, x.case_id, x.party_id, "失信信息已提前删除（执行和解协议已履行完毕）"
                )
                for n in ExposureNotice.objects.filter(listing=x, status=ExposureNotice.Status.WITHDRAWING):
                    _answer(n, {"status": "done", "result": {"withdrawn": True}})
            made += 1
        return made
