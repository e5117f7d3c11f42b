from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhixing.cases"
    label = "cases"
    verbose_name = "执行案件"

    def ready(self) -> None:
        # The main menu and the home page's worklist (core.navigation, core.worklist).
        from . import (
            navigation,
            signals,  # noqa: F401
            worklist,
        )

        navigation.install()
        worklist.install()
        # The documents this domain makes (zhixing.documents: enforcement notice, rulings, decisions).
        from . import (
            audit_words,  # noqa: F401  (registers this app's audit words, docs/audit.md)
            audit_words_coercion,  # noqa: F401  (after audit_words: its keys override the general ones)
            audit_words_settlement,  # noqa: F401  (last, as the sections stood in one module)
            documents_kinds,
        )

        documents_kinds.install()
        # E-service (zhixing.documents): the day a notice reached the debtor starts its periods.
        from . import eservice_receivers

        eservice_receivers.install()
        # Who may open the case pages a flow node's stored link points at (core.link_access).
        from . import link_targets

        link_targets.install()
