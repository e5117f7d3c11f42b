from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "zhixing.measures"
    label = "measures"
    verbose_name = "措施联动"

    def ready(self) -> None:
        # The domains below may not import this one (.importlinter): their events reach it as signals,
        # sent inside the transaction of the event, so the automatic consequences commit with it.
        from zhixing.auctions import events as sale_events
        from zhixing.cases import events as case_events
        from zhixing.credit import events as credit_events

        from . import (
            audit_words,  # noqa: F401  (registers this app's audit words, docs/audit.md)
            receivers,
        )

        case_events.case_closed.connect(receivers.on_closed, dispatch_uid="measures.closed")
        case_events.case_suspended.connect(receivers.on_suspended, dispatch_uid="measures.suspended")
        case_events.case_resumed.connect(receivers.on_resumed, dispatch_uid="measures.resumed")
        case_events.payments_recorded.connect(receivers.on_payments, dispatch_uid="measures.payments")
        credit_events.listing_removed.connect(receivers.on_listing_removed, dispatch_uid="measures.listing")
        sale_events.sale_ruling_served.connect(receivers.on_sale_ruling_served, dispatch_uid="measures.sold")
        sale_events.set_off_ruling_served.connect(
            receivers.on_set_off_ruling_served, dispatch_uid="measures.set_off_served"
        )
        sale_events.sale_balance_paid.connect(
            receivers.on_sale_balance_paid, dispatch_uid="measures.sale_paid"
        )
        sale_events.auction_started.connect(
            receivers.on_auction_started, dispatch_uid="measures.auction_start"
        )
        sale_events.auction_ended.connect(receivers.on_auction_ended, dispatch_uid="measures.auction_end")
        from zhixing.objections import events as objection_events

        objection_events.act_objection_upheld.connect(
            receivers.on_act_objection_upheld, dispatch_uid="measures.act_objection"
        )
        objection_events.third_party_objection_filed.connect(
            receivers.on_third_party_objection_filed, dispatch_uid="measures.third_party_objection"
        )
        objection_events.third_party_objection_cleared.connect(
            receivers.on_third_party_objection_cleared, dispatch_uid="measures.third_party_cleared"
        )
        objection_events.third_party_objection_upheld.connect(
            receivers.on_third_party_objection_upheld, dispatch_uid="measures.third_party_upheld"
        )
        objection_events.third_party_objection_final.connect(
            receivers.on_third_party_objection_final, dispatch_uid="measures.third_party_final"
        )
        # An objection to a reference price and the asset's lot in bidding (issue 19).
        objection_events.price_objection_filed.connect(
            receivers.on_price_objection_filed, dispatch_uid="measures.price_objection_filed"
        )
        objection_events.price_objection_cleared.connect(
            receivers.on_price_objection_cleared, dispatch_uid="measures.price_objection_cleared"
        )
        objection_events.price_objection_upheld.connect(
            receivers.on_price_objection_upheld, dispatch_uid="measures.price_objection_upheld"
        )
        # The main menu and the home page's worklist (core.navigation, core.worklist).
        from . import navigation, worklist

        navigation.install()
        worklist.install()
