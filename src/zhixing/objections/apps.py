from django.apps import AppConfig


class ObjectionsConfig(AppConfig):
    """Objections and reviews (执行异议、复议、案外人异议); ADR 0022 says why it is its own package."""

    name = "zhixing.objections"
    label = "objections"
    verbose_name = "执行异议"

    def ready(self) -> None:
        from zhixing.core import disposal_guards

        from . import audit_words, documents_kinds, navigation, worklist  # noqa: F401
        from .services import disposal_refusals

        # CPL-2023 Art 238: a pending third-party objection (and its suit window) stops the asset's disposal.
        disposal_guards.register(disposal_refusals)
        # 参考价规定 Art 23: a pending objection to the asset's reference price stops its lot (valuation.py).
        from .valuation import disposal_refusals as valuation_refusals

        disposal_guards.register(valuation_refusals)
        documents_kinds.install()
        navigation.install()
        worklist.install()
        from . import notices

        notices.install()  # the ruling's electronic service starts its windows
