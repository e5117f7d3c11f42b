"""Identity documents beyond the resident ID: permits, passports, permanent residence, organisation codes.

Vectors are built with independent implementations of the check algorithms (GB 11643 MOD 11-2 for the
18-character numbers, GB 11714 for organisation codes), then every wrong check character is refused.
"""

from __future__ import annotations

from datetime import date

import pytest
from faker.providers.address import Provider as FakerAddress
from hypothesis import given
from hypothesis import strategies as st

from zhixing.core.countries import ISO3166_ALPHA3
from zhixing.core.id_documents import (
    ORGANISATION_TYPES,
    PERSON_TYPES,
    Identity,
    IdType,
    check_identity,
    check_org_code,
    parse_subject,
    stored_identity,
)
from zhixing.core.identity import IdentityError

TODAY = date(2026, 5, 1)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "0123456789X"


def mod11_2(body17: str) -> str:
    return body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True)) % 11]


def org_check(body8: str) -> str:
    """GB 11714-1997 check character, written out independently of the module."""
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body8]
    c9 = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return body8 + {10: "X", 11: "0"}.get(c9, str(c9))


HK_RESIDENCE = mod11_2("81000019900101002")  # a woman born 1990-01-01 (17th digit 2: even)
MO_RESIDENCE = mod11_2("82000020100615001")  # a boy born 2010-06-15
TW_RESIDENCE = mod11_2("83000019851231003")
PERMANENT_NEW = mod11_2("93184019800202005")  # 9 + province 31 + nationality 840 + 1980-02-02
PERMANENT_OLD = "USA310580202001"


# -- exact results ------------------------------------------------------------------------------------


def test_every_document_exactly() -> None:
    assert check_identity("hmt_residence", HK_RESIDENCE, TODAY) == Identity(
        IdType.HMT_RESIDENCE, HK_RESIDENCE, HK_RESIDENCE, "HKG", date(1990, 1, 1), "F"
    )
    assert check_identity("hmt_residence", MO_RESIDENCE, TODAY) == Identity(
        IdType.HMT_RESIDENCE, MO_RESIDENCE, MO_RESIDENCE, "MAC", date(2010, 6, 15), "M"
    )
    assert check_identity("hmt_residence", TW_RESIDENCE, TODAY).nationality == "TWN"
    assert check_identity("foreign_permanent", PERMANENT_NEW, TODAY) == Identity(
        IdType.FOREIGN_PERMANENT, PERMANENT_NEW, PERMANENT_NEW, "", date(1980, 2, 2), "M"
    )
    assert check_identity("foreign_permanent", " usa310580202001 ", TODAY) == Identity(
        IdType.FOREIGN_PERMANENT, PERMANENT_OLD, PERMANENT_OLD, "USA"
    )
    assert check_identity("hk_macao_permit", "h12345678", TODAY) == Identity(
        IdType.HK_MACAO_PERMIT, "H12345678", "H12345678", "HKG"
    )
    assert check_identity("hk_macao_permit", "M1234567890", TODAY).nationality == "MAC"
    assert check_identity("taiwan_permit", "１２３４５６７８", TODAY) == Identity(
        IdType.TAIWAN_PERMIT, "12345678", "12345678", "TWN"
    )
    assert check_identity("passport", "e 1234-5678", TODAY, nationality="gbr") == Identity(
        IdType.PASSPORT, "E12345678", "PGBR:E12345678", "GBR"
    )
    assert check_identity("org_code", "60003734-1", TODAY) == Identity(
        IdType.ORG_CODE, "600037341", "ORG:600037341"
    )
    assert check_identity("foreign_registration", "12 34 567", TODAY, nationality="HKG") == Identity(
        IdType.FOREIGN_REGISTRATION, "1234567", "RHKG:1234567", "HKG"
    )
    assert check_identity("uscc", "91110000600037341l", TODAY) == Identity(
        IdType.USCC, "91110000600037341L", "91110000600037341L"
    )
    assert check_identity("resident_id", "360426199101010071", TODAY) == Identity(
        IdType.RESIDENT_ID, "360426199101010071", "360426199101010071", "CHN", date(1991, 1, 1), "M"
    )


def test_organisation_code_inside_a_credit_code() -> None:
    # GB 32100: positions 9–17 of a unified social credit code are the organisation code.
    assert check_org_code("91110000600037341L"[8:17]) == "600037341"


@pytest.mark.parametrize("body", ["60003734", "00000000", "12345678", "MA1K0000", "ZZZZZZZZ", "A0B1C2D3"])
def test_organisation_code_every_check_character(body: str) -> None:
    good = org_check(body)
    assert check_org_code(good) == good
    assert check_org_code(f"{body}-{good[8]}") == good
    for wrong in CHECK_CHARS.replace(good[8], ""):
        with pytest.raises(IdentityError, match=r"^组织机构代码校验码错误"):
            check_org_code(body + wrong)


def test_org_check_x_and_zero_cases() -> None:
    # Bodies whose remainder gives 10 (→ X) and 0 (→ 0) exist and are accepted.
    bodies = [f"{n:08d}" for n in range(200)]
    assert any(org_check(b).endswith("X") for b in bodies)
    assert any(org_check(b).endswith("0") for b in bodies)
    for b in bodies:
        assert check_org_code(org_check(b)) == org_check(b)


@pytest.mark.parametrize("number", [HK_RESIDENCE, MO_RESIDENCE, TW_RESIDENCE])
def test_residence_permit_every_wrong_check_character(number: str) -> None:
    for wrong in CHECK_CHARS.replace(number[17], ""):
        with pytest.raises(IdentityError, match=r"^港澳台居民居住证号码校验码错误"):
            check_identity("hmt_residence", number[:17] + wrong, TODAY)


def test_permanent_residence_every_wrong_check_character() -> None:
    for wrong in CHECK_CHARS.replace(PERMANENT_NEW[17], ""):
        with pytest.raises(IdentityError, match=r"^外国人永久居留身份证号码校验码错误"):
            check_identity("foreign_permanent", PERMANENT_NEW[:17] + wrong, TODAY)


# -- refusals with their messages --------------------------------------------------------------------

BAD = [
    (
        "hmt_residence",
        mod11_2("44010619900101002"),
        "",
        "前6位应为810000（香港）、820000（澳门）或830000（台湾）",
    ),
    ("hmt_residence", "8100001990010100", "", "应为18位，实际为16位"),
    ("hmt_residence", mod11_2("81000019900230002"), "", "出生日期错误：19900230不是有效日期"),
    ("hmt_residence", mod11_2("81000020300101002"), "", "出生日期2030-01-01晚于今天"),
    ("foreign_permanent", mod11_2("13184019800202005"), "", "18位新版号码首位应为9"),
    ("foreign_permanent", "US3105802020011", "", "15位旧版号码应为3位字母国籍代码加12位数字"),
    ("foreign_permanent", "QQQ310580202001", "", "前3位“QQQ”不是国籍代码"),
    ("foreign_permanent", "9318401980", "", "应为18位（新版）或15位（旧版），实际为10位"),
    ("hk_macao_permit", "K12345678", "", "应为H（香港）或M（澳门）加8位数字"),
    ("hk_macao_permit", "H1234567", "", "应为H（香港）或M（澳门）加8位数字"),
    ("taiwan_permit", "1234567", "", "应为8位数字（旧版为10位数字）"),
    ("taiwan_permit", "T1234567", "", "应为8位数字（旧版为10位数字）"),
    ("passport", "E12345678", "", "护照须填写国籍或地区"),
    ("passport", "E12345678", "XYZ", "国籍或地区代码“XYZ”不是ISO 3166三位字母代码"),
    ("passport", "E1234567890123", "USA", "应为不超过13位的字母或数字"),
    ("passport", "E123_4567", "USA", "应为不超过13位的字母或数字"),
    ("org_code", "6000373", "", "应为9位（8位本体代码+1位校验码），实际为7位"),
    ("org_code", "60003734Y", "", "末位应为数字或X"),
    ("foreign_registration", "12345", "", "境外组织登记号码须填写国籍或地区"),
    ("uscc", "91110000600037341A", "", "统一社会信用代码校验码错误"),
    ("resident_id", "360426199101010072", "", "身份证号码校验码错误"),
    ("no_such_type", "123", "", "证件类型无效"),
    ("passport", "  ", "USA", "护照格式错误：号码为空"),
]


@pytest.mark.parametrize(("id_type", "number", "nationality", "message"), BAD)
def test_refused_with_a_chinese_message(id_type: str, number: str, nationality: str, message: str) -> None:
    with pytest.raises(IdentityError) as err:
        check_identity(id_type, number, TODAY, nationality=nationality)
    assert message in str(err.value)


# -- subject keys ------------------------------------------------------------------------------------

ALL_VALID = [
    ("resident_id", "360426199101010071", ""),
    ("hmt_residence", HK_RESIDENCE, ""),
    ("foreign_permanent", PERMANENT_NEW, ""),
    ("foreign_permanent", PERMANENT_OLD, ""),
    ("hk_macao_permit", "H12345678", ""),
    ("hk_macao_permit", "M1234567890", ""),
    ("taiwan_permit", "12345678", ""),
    ("taiwan_permit", "1234567890", ""),
    ("passport", "E12345678", "USA"),
    ("passport", "1234567890123", "DEU"),
    ("uscc", "91110000600037341L", ""),
    ("org_code", "600037341", ""),
    ("foreign_registration", "1234567890123", "JPN"),
]


@pytest.mark.parametrize(("id_type", "number", "nationality"), ALL_VALID)
def test_subject_key_reads_back_as_the_same_identity(id_type: str, number: str, nationality: str) -> None:
    ident = check_identity(id_type, number, TODAY, nationality=nationality)
    assert len(ident.key) <= 18  # the credit register's subject_key width
    assert parse_subject(ident.key, TODAY) == ident
    assert parse_subject(ident.key.lower(), TODAY).key == ident.key


def test_keys_never_collide_across_documents() -> None:
    keys = [check_identity(t, n, TODAY, nationality=c).key for t, n, c in ALL_VALID]
    assert len(set(keys)) == len(keys)
    # The same number as a passport and as an overseas registration are two subjects.
    assert (
        check_identity("passport", "12345678", TODAY, nationality="GBR").key
        != check_identity("foreign_registration", "12345678", TODAY, nationality="GBR").key
        != check_identity("taiwan_permit", "12345678", TODAY).key
    )


def test_parse_subject_all_digit_credit_code_and_bad_person_number() -> None:
    # An all-digit body whose credit-code check passes is a credit code when the ID check fails.
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for n in range(1000):
        body = f"11110000{n:09d}"
        check = alphabet[(31 - sum(alphabet.index(c) * pow(3, i, 31) for i, c in enumerate(body)) % 31) % 31]
        if check.isdigit() and mod11_2(body)[17] != check:
            code = body + check
            break
    assert parse_subject(code, TODAY).id_type is IdType.USCC
    # A mistyped resident ID is told as a resident-ID error, not a credit-code one.
    with pytest.raises(IdentityError, match=r"^身份证号码校验码错误"):
        parse_subject("36042619910101007X", TODAY)
    with pytest.raises(IdentityError, match="不是可识别的身份证件号码或单位代码"):
        parse_subject("GARBAGE", TODAY)


def test_stored_identity_of_parties_filed_before_document_types() -> None:
    assert stored_identity("", "360426199101010071", "", "", TODAY).key == "360426199101010071"
    assert stored_identity("", "", "91110000600037341L", "", TODAY).key == "91110000600037341L"
    assert stored_identity("passport", "E12345678", "", "USA", TODAY).key == "PUSA:E12345678"


def test_document_types_split_between_persons_and_organisations() -> None:
    assert set(PERSON_TYPES) | set(ORGANISATION_TYPES) == set(IdType)
    assert not set(PERSON_TYPES) & set(ORGANISATION_TYPES)
    assert all(t.label for t in IdType)


def test_country_codes_cover_iso_and_icao() -> None:
    assert set(FakerAddress.alpha_3_country_codes) <= ISO3166_ALPHA3
    assert {"HKG", "MAC", "TWN", "CHN", "XXA", "UNO", "RKS"} <= ISO3166_ALPHA3
    assert len(ISO3166_ALPHA3) == 249 + 14


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYZ:", max_size=24))
def test_parse_subject_never_crashes(text: str) -> None:
    try:
        ident = parse_subject(text, TODAY)
    except IdentityError:
        return
    assert len(ident.key) <= 18
    assert parse_subject(ident.key, TODAY).key == ident.key
