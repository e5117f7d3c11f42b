from django.apps import AppConfig


class AuctionsConfig(AppConfig):
    """Online judicial auctions (网拍规定 2017, 参考价规定 2018, 拍卖变卖规定): a seized asset is priced,
    put up as a lot, bid for live, and the sale settled into the case account."""

    name = "zhixing.auctions"
    label = "auctions"
    verbose_name = "网络司法拍卖"

    def ready(self) -> None:
        from . import (
            audit_words,  # noqa: F401  (registers this app's audit words, docs/audit.md)
            navigation,
        )

        navigation.install()
        # A lot's price in the case account is its asset's proceeds: funds holds them back while a
        # disposal guard (a third-party objection) refuses the asset (core.disposal_guards).
        from zhixing.core import disposal_guards

        from .queries import sale_proceeds

        disposal_guards.register_proceeds(sale_proceeds)
