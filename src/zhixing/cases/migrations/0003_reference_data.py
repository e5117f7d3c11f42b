"""Reference data: case types (rules.md §1.5), instrument types and flow nodes (rules.md §2.2)."""

from django.db import migrations

CASE_TYPES = [
    # code, name, family, is_resumption, confirmed
    ("执", "首次执行案件", "implementation", False, True),
    ("执恢", "恢复执行案件", "implementation", True, True),
    ("执保", "财产保全执行案件", "implementation", False, True),
    ("执异", "执行异议案件", "review", False, False),
    ("执复", "执行复议案件", "review", False, False),
    ("执监", "执行监督案件", "review", False, False),
    ("执协", "执行协调案件", "review", False, False),
    ("执请", "执行请示案件", "review", False, False),
    ("执他", "其他执行案件", "review", False, False),
]

INSTRUMENT_TYPES = [
    ("civil_judgment", "民事判决书", False),
    ("civil_ruling", "民事裁定书", False),
    ("mediation", "民事调解书", False),
    ("payment_order", "支付令", False),
    ("criminal_property", "刑事裁判涉财产部分", False),
    ("arbitral_award", "仲裁裁决书", False),
    ("notarised_debt", "公证债权文书", False),
    ("administrative_decision", "行政决定（非诉执行）", True),
]

NODE_TYPES = [
    # code, name, order, budget, non-lit budget, unit, anchor, auto, completion, extendable, yellow, basis
    ("decide_filing", "决定立案", 10, 7, None, "days", "applied", True, "on_filing", False, 2,
     "执行工作规定第16条；审限规定第6条：收到申请之日起7日内立案"),
    ("assign_handler", "指定承办人", 20, 7, None, "days", "filed", True, "on_assignment", False, 2,
     "2006年期限规定第2条：立案后7日内确定承办人"),
    ("network_inquiry", "发起网络查控", 30, 3, None, "workdays", "filed", True, "manual", False, 1,
     "地方规则（威海文登、利川）：立案后3日内；最高法层面未核实，可调整"),
    ("notice", "发送执行通知书、报告财产令", 40, 10, None, "days", "filed", True, "manual", False, 3,
     "民诉法解释第480条（2022）：10日内发出执行通知；财产调查规定第3条：报告财产令与执行通知同时发出"),
    ("investigation", "完成财产调查", 50, 1, None, "months", "filed", True, "manual", False, 5,
     "2006年期限规定第7条：一般应在1个月内完成财产调查"),
    ("verify_lead", "核查财产线索", 60, 7, None, "days", "created", False, "manual", False, 2,
     "财产调查规定第2条：收到具体财产线索后7日内核查（情况紧急3日）"),
    ("term", "执行期限", 90, 6, 3, "months", "filed", True, "on_closing", True, 10,
     "审限规定第5条：6个月内执结，非诉执行案件3个月；经院长批准可延长3个月；中止期间不计入"),
]


def load(apps, schema_editor):
    CaseType = apps.get_model("cases", "CaseType")
    InstrumentType = apps.get_model("cases", "InstrumentType")
    NodeType = apps.get_model("cases", "NodeType")
    for code, name, family, resumption, confirmed in CASE_TYPES:
        CaseType.objects.update_or_create(code=code, defaults={
            "name": name, "family": family, "is_resumption": resumption, "confirmed": confirmed})
    for code, name, non_lit in INSTRUMENT_TYPES:
        InstrumentType.objects.update_or_create(code=code, defaults={"name": name, "non_litigation": non_lit})
    for (code, name, order, budget, nl_budget, unit, anchor, auto, completion, extendable, yellow,
         basis) in NODE_TYPES:
        NodeType.objects.update_or_create(code=code, defaults={
            "name": name, "order": order, "budget": budget, "budget_non_litigation": nl_budget, "unit": unit,
            "anchor": anchor, "auto_create": auto, "completion": completion, "extendable": extendable,
            "yellow_workdays": yellow, "legal_basis": basis})


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
