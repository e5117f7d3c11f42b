"""Seed the 16 asset categories searchable nationally and the simulated partner institutions (sandbox).

Partners' base URL is empty: the platform then uses ZHIXING_SANDBOX_URL. Real institutions are added as
configuration (admin) with their own URL and secret.
"""

from django.db import migrations

CATEGORIES = [
    # code, name, asset kind (for control terms), selected by default in one-click inquiry
    ("deposit", "银行存款", "funds", True),
    ("real_estate", "不动产", "real_estate", True),
    ("vehicle", "机动车辆", "movable", True),
    ("securities", "证券", "right", True),
    ("vessel", "船舶及渔船", "movable", True),
    ("online_payment", "互联网支付账户", "funds", True),
    ("equity", "股权及工商登记", "right", True),
    ("tax", "税务信息", "info", True),
    ("social_insurance", "社保及住房公积金", "info", True),
    ("exit_entry", "出入境证照", "info", True),
    ("population", "人口户籍信息", "info", True),
    ("financial_product", "银行理财产品", "funds", True),
    ("insurance", "保险", "info", True),
    ("futures", "期货", "right", True),
    ("marriage", "婚姻登记信息", "info", True),
    ("internet_bank", "互联网银行存款", "funds", True),
]


def seed(apps, schema_editor):
    from zhixing.partners.sandbox.holdings import PARTNERS, partner_secret

    Category = apps.get_model("inquiry", "PartnerCategory")
    Partner = apps.get_model("inquiry", "Partner")
    cats = {}
    for order, (code, name, kind, default) in enumerate(CATEGORIES, start=1):
        cats[code], _ = Category.objects.update_or_create(
            code=code, defaults={"name": name, "asset_kind": kind, "default_selected": default, "order": order}
        )
    for code, (name, category, _kind, actions) in PARTNERS.items():
        Partner.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "category": cats[category],
                "channel": "national",
                "actions": list(actions),
                "base_url": "",
                "shared_secret": partner_secret(code),
                "adapter": "protocol",
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("inquiry", "Partner").objects.all().delete()
    apps.get_model("inquiry", "PartnerCategory").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("inquiry", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
