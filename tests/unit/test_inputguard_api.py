"""The API's control-character check on validated arguments (`zhixing.core.inputguard`)."""

from __future__ import annotations

from typing import Annotated

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ninja import Schema

from zhixing.core.errors import ServiceError
from zhixing.core.inputguard import ServiceChecksText, control_char, refuse_control_text


class Item(Schema):
    reason: str
    labels: list[str] = []


class Body(Schema):
    title: str = ""
    items: list[Item] = []
    extra: dict[str, str] = {}
    account_no: Annotated[str, ServiceChecksText()] = ""


def refused(arguments: dict) -> tuple[str | None, str]:
    with pytest.raises(ServiceError) as err:
        refuse_control_text(arguments)
    return err.value.field, err.value.message


def test_control_char_names_the_first_forbidden_character() -> None:
    assert control_char("张三\t\r\n") is None
    assert control_char("张\x1b三\x00") == "U+001B"
    assert control_char("\x7f") == "U+007F"
    assert control_char("\ud800") == "U+D800"


def test_a_string_anywhere_in_the_body_is_named_as_the_api_names_fields() -> None:
    body = Body(items=[Item(reason="ok"), Item(reason="a", labels=["x", "y\x00"])])
    assert refused({"payload": body}) == (
        "items[1].labels[1]",
        "参数“items[1].labels[1]”含有不允许的控制字符（U+0000）",
    )
    assert refused({"payload": Body(title="标题\x1b")})[0] == "title"
    assert refused({"payload": Body(extra={"note": "\x00"})})[0] == "extra.note"
    assert refused({"payload": Body(extra={"\x00": "x"})})[0] == "extra"
    assert refused({"debtor": "张\x00"})[0] == "debtor"
    assert refused({"payload": [Item(reason="\x00")]})[0] == "[0].reason"


def test_clean_arguments_and_fields_left_to_their_service_pass() -> None:
    refuse_control_text({"case_id": 1, "payload": Body(title="多行\r\n文本\t", items=[Item(reason="原因")])})
    refuse_control_text({"payload": Body(account_no="6222\x00")})  # the funds service names it “收款账号”


def _by_category(value: str) -> str | None:
    """The rule as Unicode states it: a Cc character other than tab and line breaks, or a Cs half."""
    import unicodedata

    for ch in value:
        cat = unicodedata.category(ch)
        if (cat == "Cc" and ch not in "\t\n\r") or cat == "Cs":
            return f"U+{ord(ch):04X}"
    return None


def test_every_code_point_is_judged_as_its_unicode_category_says() -> None:
    """The one-pass scan refuses exactly Cc (but tab, LF, CR) and Cs, over every code point."""
    from zhixing.core.inputguard import bad_text

    wrong = [cp for cp in range(0x110000) if bad_text(chr(cp)) != (_by_category(chr(cp)) is not None)]
    assert wrong == []


@given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=40))
def test_control_char_finds_the_first_forbidden_character(value: str) -> None:
    assert control_char(value) == _by_category(value)
