from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "zhixing.funds"
    label = "funds"
    verbose_name = "执行案款"

    def ready(self) -> None:
        # cases may not import funds (.importlinter): funds answers the closing check through the
        # veto signal the cases lifecycle sends inside its closing transaction.
        from zhixing.cases.services.lifecycle import case_closed, closing_vetoes

        from .queries import closing_veto
        from .services.accounts import close_case_account
        from .tasks import install_hooks

        install_hooks()  # single bank notices: book the inbox right after a notice is recorded
        closing_vetoes.connect(closing_veto, dispatch_uid="funds.closing_veto")
        case_closed.connect(close_case_account, dispatch_uid="funds.close_case_account")
