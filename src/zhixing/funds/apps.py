from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "zhixing.funds"
    label = "funds"
    verbose_name = "执行案款"

    def ready(self) -> None:
        # cases may not import funds (.importlinter): funds answers the closing check through the
        # veto signal the cases lifecycle sends inside its closing transaction.
        from zhixing.cases.services.lifecycle import case_closed, closing_vetoes

        from . import audit_words  # noqa: F401  (registers this app's audit words, docs/audit.md)
        from .queries import closing_veto
        from .services.accounts import close_case_account
        from .tasks import install_hooks

        install_hooks()  # work the services say is due (inbox booking, interest allocation), done by tasks
        closing_vetoes.connect(closing_veto, dispatch_uid="funds.closing_veto")
        case_closed.connect(close_case_account, dispatch_uid="funds.close_case_account")
        # Payout clocks (services.clocks): a receipt's clock starts when it is booked; money leaving
        # or returning to a case re-settles them; a suspension holds the money, a resumption lifts it.
        from zhixing.cases import events as case_events

        from . import events
        from .services import clocks, holds

        case_events.payments_recorded.connect(clocks.on_payments, dispatch_uid="funds.clocks_payments")
        events.case_money_moved.connect(clocks.on_money_moved, dispatch_uid="funds.clocks_moved")
        case_events.case_suspended.connect(holds.on_suspended, dispatch_uid="funds.hold_suspended")
        case_events.case_resumed.connect(holds.on_resumed, dispatch_uid="funds.hold_resumed")
        # Held money is reserved on the payable breakdown the page, the API and `propose` share.
        from .payable import register_reserver
        from .queries_holds import hold_reserved

        register_reserver("holds", hold_reserved)
        # Proceeds of an asset whose disposal a guard refuses (a third-party objection) stay in the account.
        from .disposal import disposal_reserved

        register_reserver("disposal", disposal_reserved)
        # The disputed amount of a distribution objection still open stays in the account.
        from .disputed import disputed_reserved

        register_reserver("distribution", disputed_reserved)
        # The main menu and the home page's worklist (core.navigation, core.worklist).
        from . import navigation, worklist

        navigation.install()
        worklist.install()
        # The distribution plan and the case account on the enforcement notice (zhixing.documents).
        from . import documents

        documents.install()
