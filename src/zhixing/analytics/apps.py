from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "zhixing.analytics"
    label = "analytics"
    verbose_name = "履行能力分析"

    def ready(self) -> None:
        # Inquiry tells of settled queries by a signal (it never imports analytics): a lead that became
        # a targeted query moves to found / not found in the transaction recording the answer.
        from zhixing.inquiry.events import queries_settled

        from . import audit_words  # noqa: F401  (registers this app's audit words, docs/audit.md)
        from .services.leads import on_queries_settled
        from .tasks import install_hooks

        install_hooks()  # an import job created is run by a consumer (services.import_queue)

        queries_settled.connect(on_queries_settled, dispatch_uid="analytics.leads.settle")
        # The main menu (core.navigation).
        from . import navigation

        navigation.install()
        # Its part of a refusal-crime evidence bundle (zhixing.cases.evidence), issue 20.
        from . import evidence

        evidence.install()
        # Its document on the documents capability: the ability-to-pay report (issue 17).
        from . import documents_kinds

        documents_kinds.install()
