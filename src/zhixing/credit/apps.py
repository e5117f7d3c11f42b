from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "zhixing.credit"
    label = "credit"
    verbose_name = "信用惩戒"
