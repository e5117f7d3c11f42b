from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "zhixing.analytics"
    label = "analytics"
    verbose_name = "履行能力分析"
