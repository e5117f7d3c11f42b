"""Case numbers (rules.md §1): the 2018 specialised-trial code, the type code (≤ 3 Chinese characters,
Art 7) and the court codes of Art 5 (HPC abbreviation, intermediate + 2 digits, basic + 4 digits)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from zhixing.cases.reference import CaseType
from zhixing.cases.rules import case_number, type_code_problem
from zhixing.core.errors import ServiceError
from zhixing.courts import services as court_services
from zhixing.courts.codes import court_code_problem
from zhixing.courts.models import Court


def test_layout_with_and_without_the_specialised_trial_code():
    assert case_number(2026, "粤0106", "执", 12) == "（2026）粤0106执12号"
    assert case_number(2026, "京73", "执", 5, special="知") == "（2026）京73知执5号"
    for bad in ("知识", "Z", "1"):
        with pytest.raises(ValueError, match="专门审判代字应为1个汉字"):
            case_number(2026, "京73", "执", 5, special=bad)


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("执", True),
        ("执恢", True),
        ("执保", True),
        ("执异复", True),
        ("执行异议", False),
        ("", False),
        ("Z1", False),
        ("执1", False),
    ],
)
def test_type_code_is_one_to_three_chinese_characters(code, ok):
    assert (type_code_problem(code) == "") is ok
    if not ok:
        assert type_code_problem(code) == "类型代字应为1至3个汉字（案号规定第7条）"
        with pytest.raises(ValueError, match="类型代字"):
            case_number(2026, "粤0106", code, 1)


@pytest.mark.parametrize(
    ("code", "level", "parent", "ok"),
    [
        ("最高法", "supreme", None, True),
        ("最高", "supreme", None, False),
        ("粤", "high", "最高法", True),
        ("内", "high", "最高法", True),
        ("兵", "high", "最高法", True),
        ("广东", "high", "最高法", False),
        ("粤01", "intermediate", "粤", True),
        ("粤73", "intermediate", "粤", True),  # IP intermediate court (2018 amendment, item (三))
        ("粤1", "intermediate", "粤", False),
        ("粤001", "intermediate", "粤", False),
        ("京01", "intermediate", "粤", False),
        ("粤0106", "basic", "粤01", True),
        ("粤7101", "basic", "粤71", True),  # the 4 digits need not start with the intermediate's 2
        ("粤106", "basic", "粤01", False),
        ("粤01060", "basic", "粤01", False),
        ("京0106", "basic", "粤01", False),
        ("粤0106", "district", "粤01", False),
    ],
)
def test_court_code_by_level(code, level, parent, ok):
    assert (court_code_problem(code, level, parent) == "") is ok


def test_court_code_messages():
    assert court_code_problem("粤1", "intermediate", "粤") == (
        "中级人民法院的法院代字应为所属高级人民法院代字加2位数字，如“粤01”（案号规定第5条）"
    )
    assert court_code_problem("京0106", "basic", "粤01") == (
        "法院代字“京0106”应以所属高级人民法院的代字“粤”开头（案号规定第5条）"
    )


@pytest.mark.django_db
def test_court_service_and_back_office_refuse_a_bad_code(courts):
    with pytest.raises(ServiceError, match="4位数字") as caught:
        court_services.create_court(None, code="粤016", name="某区法院", level="basic", parent=courts["gz"])
    assert caught.value.field == "code"
    assert not Court.objects.filter(code="粤016").exists()
    with pytest.raises(ValidationError) as invalid:
        Court(code="粤160", name="某中院", level="intermediate", parent=courts["gd"]).full_clean()
    assert invalid.value.message_dict["code"] == [
        "中级人民法院的法院代字应为所属高级人民法院代字加2位数字，如“粤01”（案号规定第5条）"
    ]
    with pytest.raises(ValidationError) as invalid_type:
        CaseType(code="执A", name="x").full_clean()
    assert "类型代字应为1至3个汉字（案号规定第7条）" in invalid_type.value.message_dict["code"]
