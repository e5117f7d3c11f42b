from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "zhixing.funds"
    label = "funds"
    verbose_name = "执行案款"
