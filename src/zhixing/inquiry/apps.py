from django.apps import AppConfig


class InquiryConfig(AppConfig):
    name = "zhixing.inquiry"
    label = "inquiry"
    verbose_name = "网络执行查控"
