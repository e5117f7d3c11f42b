from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "zhixing.credit"
    label = "credit"
    verbose_name = "信用惩戒"

    def ready(self) -> None:
        # The main menu (core.navigation).
        from . import navigation

        navigation.install()
        # Who may open this domain's pages a flow node's stored link points at (core.link_access).
        from . import link_targets

        link_targets.install()
        # The home page's worklist (core.worklist): correction applications and their 复议.
        from . import worklist

        worklist.install()
        # The published 履行情况 follows the case's dated payments (issue 14 item 9).
        from zhixing.cases import events as case_events

        from . import audit_words  # noqa: F401  (registers this app's audit words, docs/audit.md)
        from .services import repair

        case_events.payments_recorded.connect(repair.on_payments, dispatch_uid="credit.performance")
        # A 执恢 case carries the original's listing and restrictions (services.carry_over, issue 20).
        from .services import carry_over

        case_events.case_refiled.connect(carry_over.on_refiled, dispatch_uid="credit.carry_over")
        # The 终本 preconditions the credit record answers (consumption restriction, listing).
        from . import dormant_facts

        case_events.dormant_facts.connect(dormant_facts.facts, dispatch_uid="credit.dormant_facts")
        # The documents this domain makes (zhixing.documents): listing decision, consumption order.
        from . import documents_kinds

        documents_kinds.install()
        # Its part of a refusal-crime evidence bundle (zhixing.cases.evidence), issue 20.
        from . import evidence

        evidence.install()
