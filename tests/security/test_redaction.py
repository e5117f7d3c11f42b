"""core.redaction: identifiers in free text are found and masked; legal references are left alone."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import factories
from zhixing.core.redaction import find, mask_address, mask_resident_id, redact

ID = factories.make_id(date(2000, 1, 1), seq=123)  # 440106200001011234-style
X_ID = "11010519491231002X"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"身份证号{ID}。", "身份证号4401**************。"),
        (f"身份证号{X_ID.lower()}", "身份证号1101**************"),
        (f"号码 {ID[:6]} {ID[6:14]} {ID[14:]} 止", "号码 4401************** 止"),
        (f"号码{ID[:6]}-{ID[6:14]}-{ID[14:]}", "号码4401**************"),
        ("身份证：４４０１０６２０００１０１１２３４５", "身份证：4401**************"),
        ("旧证440106800101123", "旧证4401***********"),
        ("电话13812345678", "电话138****5678"),
        ("电话 138-1234-5678、+86 139 1234 5678", "电话 138****5678、139****5678"),
        ("手机１３８１２３４５６７８", "手机138****5678"),
        ("电话 1 3 8 1 2 3 4 5 6 7 8 止", "电话 138****5678 止"),  # probe: every digit spaced
        ("电话1-3-8-1-2-3-4-5-6-7-8", "电话138****5678"),
        ("座机020-87654321或(0755)12345678", "座机020-********或0755-********"),
        ("将位于广州市天河区体育西路123号的房产转让", "将位于广州市天河区****的房产转让"),
        ("住广东省广州市天河区张路12号3栋2单元301室，", "住广东省广州市天河区****，"),
        ("户籍地某某村3组18号", "户籍地****"),
        ("藏匿于碧桂园5栋1201的车辆", "藏匿于****的车辆"),
        ("位于中山大道西八十八号", "位于****"),
        # Probe: spaces typed around the number, a tower and a floor after the street, a street ending in 道.
        ("住广州市天河区体育西路 191 号中石化大厦B塔2001室。", "住广州市天河区****。"),
        ("住天河区体育西路191号 中石化大厦 B塔 2001室", "住天河区****"),
        ("住深圳市南山区高新南七道R2-B栋5楼", "住深圳市南山区****"),
    ],
)
def test_identifiers_are_masked(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "（2026）粤0106执1号之1",
        "（2025）粤0106民初12号民事判决书",
        "法释〔2017〕7号第6条",
        "给付100000.00元及利息，自2026-03-10起",
        "广州市天河区人民法院第3号法庭",
        "违反财产报告制度：拒不报告财产",
        "银行账号6222021234567890123",  # 19 digits: not an ID number
        "",
    ],
)
def test_legal_references_and_plain_text_are_left_alone(text: str) -> None:
    assert find(text) == [] and redact(text) == text


def test_findings_carry_kind_and_offsets() -> None:
    text = f"甲{ID}乙13812345678丙体育西路1号"
    assert [(f.kind, text[f.start : f.end]) for f in find(text)] == [
        ("id", ID),
        ("phone", "13812345678"),
        ("address", "丙体育西路1号"),
    ]


def test_masks_for_known_fields() -> None:
    assert mask_resident_id(ID) == "4401" + "*" * 14
    assert mask_address("广东省广州市天河区体育西路123号") == "广东省广州市天河区****"
    assert mask_address("北京市朝阳区建国路88号SOHO") == "北京市朝阳区****"
    assert mask_address("广州市天河区") == "广州市天河区"
    assert mask_address("体育西路1号") == "****"
    assert mask_address("  ") == ""


_CJK = st.text(alphabet=st.sampled_from("被执行人转让房产给其子女并隐匿财产拒不履行"), max_size=12)


@given(
    _CJK,
    _CJK,
    st.dates(min_value=date(1930, 1, 1), max_value=date(2008, 12, 31)),
    st.integers(0, 999),
    st.sampled_from(["", " ", "-"]),
)
def test_any_resident_id_in_any_text_is_masked(
    before: str, after: str, born: date, seq: int, sep: str
) -> None:
    number = factories.make_id(born, seq=seq)
    written = sep.join((number[:6], number[6:14], number[14:]))
    out = redact(before + written + after)
    assert number not in out.replace(" ", "").replace("-", "")
    assert out == before + mask_resident_id(number) + after


@given(_CJK, _CJK, st.sampled_from("3456789"), st.integers(0, 10**9 - 1))
def test_any_mobile_in_any_text_is_masked(before: str, after: str, second: str, rest: int) -> None:
    number = f"1{second}{rest:09d}"
    assert redact(before + number + after) == before + number[:3] + "****" + number[-4:] + after
