"""Identity documents of parties beyond the resident ID and the unified social credit code.

Purpose: one entry point, :func:`check_identity`, validating a party's identity number by the rules of
its document type (:class:`IdType`), and one spelling of each identity as a *subject key* (at most 18
characters, the width of the credit register's ``subject_key``) so that screening and name search
find the same subject however the number was typed.

Document rules (each checked here; Chinese error messages name the document and the problem):

* 居民身份证 — GB 11643-1999, :func:`zhixing.core.identity.check_resident_id`.
* 港澳台居民居住证 — 18 characters built like a resident ID number (GB 11643 MOD 11-2 check, birth
  date, sequence with the sex), address code 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan)
  (港澳台居民居住证申领发放办法, 2018).
* 外国人永久居留身份证 — the 2023 card (issued from 2023-12-01): 18 characters, first digit 9, digits
  2–3 the accepting province, 4–6 the numeric nationality code, 7–14 the birth date, 15–17 the
  sequence (odd = male), 18 the MOD 11-2 check "as the citizen number" (国家移民管理局, 新版永居证机读
  信息规则 2023). The 2004/2017 card: 15 characters, a 3-letter nationality code then 12 digits; the
  internal layout of the 12 digits and their check digit were not confirmed, so only the form and the
  nationality code are checked (UNCONFIRMED).
* 港澳居民来往内地通行证 — H (Hong Kong) or M (Macao) and 8 digits (card since 2012/2013), or 10 digits
  (older booklet, reissue digits included).
* 台湾居民来往大陆通行证 — 8 digits (card since 2015), or 10 digits (older booklet).
* 护照 — ICAO Doc 9303: the document number is upper-case letters and digits; with the issuing State's
  3-letter code (ISO 3166-1 alpha-3). Numbers here are 5 to 13 characters.
* 统一社会信用代码 — GB 32100-2015, :func:`zhixing.core.identity.check_credit_code`.
* 组织机构代码 — GB 11714-1997: 8 body characters (digits, upper-case letters) and a check character:
  C9 = 11 − (Σ value_i × W_i mod 11), W = 3 7 9 10 5 8 4 2, letters A…Z valued 10…35, 10 → X and
  11 → 0. (Positions 9–17 of a unified social credit code are this code: 91110000600037341L →
  60003734-1.) python-stdnum has no implementation of it.
* 境外组织登记号码 — the registration number an overseas organisation holds at home, with the
  country or region (ISO 3166-1 alpha-3, e.g. HKG); 1 to 13 letters or digits, no check.

Subject keys (:attr:`Identity.key`): the normalised number for every document whose form identifies it
(18-character numbers, the 15-character permanent-residence number, H/M permits, 8/10-digit Taiwan
permits); ``ORG:`` + code for an organisation code; ``P`` + nationality + ``:`` + number for a
passport; ``R`` + country + ``:`` + number for an overseas registration. The forms never overlap.

Pure module: no Django, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .countries import ISO3166_ALPHA3
from .identity import (
    IdentityError,
    _normalise,
    _ric_check_char,
    check_credit_code,
    check_resident_id,
)

__all__ = [
    "ORGANISATION_TYPES",
    "PERSON_TYPES",
    "IdType",
    "Identity",
    "check_identity",
    "check_org_code",
    "parse_subject",
    "stored_identity",
    "subject_key",
]


class IdType(StrEnum):
    """The identity document a party's number belongs to (the UI shows the Chinese label)."""

    RESIDENT_ID = "resident_id"
    HMT_RESIDENCE = "hmt_residence"
    FOREIGN_PERMANENT = "foreign_permanent"
    HK_MACAO_PERMIT = "hk_macao_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    PASSPORT = "passport"
    USCC = "uscc"
    ORG_CODE = "org_code"
    FOREIGN_REGISTRATION = "foreign_registration"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS: dict[IdType, str] = {
    IdType.RESIDENT_ID: "居民身份证",
    IdType.HMT_RESIDENCE: "港澳台居民居住证",
    IdType.FOREIGN_PERMANENT: "外国人永久居留身份证",
    IdType.HK_MACAO_PERMIT: "港澳居民来往内地通行证",
    IdType.TAIWAN_PERMIT: "台湾居民来往大陆通行证",
    IdType.PASSPORT: "护照",
    IdType.USCC: "统一社会信用代码",
    IdType.ORG_CODE: "组织机构代码",
    IdType.FOREIGN_REGISTRATION: "境外组织登记号码",
}

PERSON_TYPES = (
    IdType.RESIDENT_ID,
    IdType.HMT_RESIDENCE,
    IdType.FOREIGN_PERMANENT,
    IdType.HK_MACAO_PERMIT,
    IdType.TAIWAN_PERMIT,
    IdType.PASSPORT,
)
ORGANISATION_TYPES = (IdType.USCC, IdType.ORG_CODE, IdType.FOREIGN_REGISTRATION)
# Documents that carry a nationality (country or region of issue) beside the number.
NATIONALITY_TYPES = (IdType.PASSPORT, IdType.FOREIGN_REGISTRATION)

_HMT_PREFIXES = {"810000": "香港", "820000": "澳门", "830000": "台湾"}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # values 0…35
_MAX_FOREIGN_NUMBER = 13  # keeps the subject key within 18 characters ("P" + 3 + ":" + 13)


@dataclass(frozen=True)
class Identity:
    """A checked identity number: its type, stored number, subject key and what the number tells."""

    id_type: IdType
    number: str
    key: str
    nationality: str = ""
    birth_date: date | None = None
    sex: str = ""
    warnings: tuple[str, ...] = ()


def _gb11643_like(value: str, label: str, today: date) -> tuple[date, str]:
    """Form, MOD 11-2 check and birth date (positions 7–14) of an 18-character number like GB 11643's."""
    if len(value) != 18:
        raise IdentityError(f"{label}号码格式错误：应为18位，实际为{len(value)}位")
    if not re.fullmatch(r"[0-9]{17}[0-9X]", value):
        raise IdentityError(f"{label}号码格式错误：前17位应为数字，末位应为数字或X")
    if value[17] != _ric_check_char(value[:17]):
        raise IdentityError(f"{label}号码校验码错误：末位校验码与前17位不符，请核对号码")
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdentityError(f"{label}号码出生日期错误：{value[6:14]}不是有效日期") from None
    if birth > today:
        raise IdentityError(f"{label}号码出生日期错误：出生日期{birth.isoformat()}晚于今天")
    return birth, "M" if int(value[16]) % 2 == 1 else "F"


def _nationality(value: str, label: str) -> str:
    code = _normalise(value or "")
    if not code:
        raise IdentityError(f"{label}须填写国籍或地区（三位字母代码，如USA、HKG）")
    if code not in ISO3166_ALPHA3:
        raise IdentityError(f"{label}的国籍或地区代码“{code}”不是ISO 3166三位字母代码（如USA、GBR、HKG）")
    return code


def _foreign_number(value: str, label: str) -> str:
    number = value.replace("-", "").replace("/", "")
    if not number:
        raise IdentityError(f"{label}格式错误：号码为空")
    if len(number) > _MAX_FOREIGN_NUMBER or not re.fullmatch(r"[0-9A-Z]+", number):
        raise IdentityError(f"{label}格式错误：应为不超过{_MAX_FOREIGN_NUMBER}位的字母或数字")
    return number


def check_org_code(code: str) -> str:
    """Validate an organisation code (组织机构代码, GB 11714-1997); return the 9 characters, no hyphen.

    # rule: R-12.2.2
    """
    value = _normalise(code or "").replace("-", "")
    if not value:
        raise IdentityError("组织机构代码格式错误：代码为空")
    if len(value) != 9:
        raise IdentityError(f"组织机构代码格式错误：应为9位（8位本体代码+1位校验码），实际为{len(value)}位")
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", value):
        raise IdentityError("组织机构代码格式错误：前8位应为数字或大写字母，末位应为数字或X")
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(value[:8], _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    expected = "X" if check == 10 else "0" if check == 11 else str(check)
    if value[8] != expected:
        raise IdentityError("组织机构代码校验码错误：末位校验码与前8位不符，请核对代码")
    return value


def check_identity(id_type: str, number: str, today: date, nationality: str = "") -> Identity:
    """Validate `number` as a document of `id_type` as of `today`; raise IdentityError (Chinese) if not."""
    try:
        kind = IdType(id_type)
    except ValueError:
        raise IdentityError("证件类型无效") from None
    if not isinstance(number, str):
        raise IdentityError(f"{kind.label}格式错误：应为文本")
    value = _normalise(number)
    if not value:
        raise IdentityError(f"{kind.label}格式错误：号码为空")
    if kind is IdType.RESIDENT_ID:
        rid = check_resident_id(value, today)
        return Identity(kind, rid.number, rid.number, "CHN", rid.birth_date, rid.sex, rid.warnings)
    if kind is IdType.USCC:
        code = check_credit_code(value)
        return Identity(kind, code, code)
    if kind is IdType.ORG_CODE:
        code = check_org_code(value)
        return Identity(kind, code, f"ORG:{code}")
    if kind is IdType.HMT_RESIDENCE:
        if len(value) == 18 and value[:6] not in _HMT_PREFIXES:
            raise IdentityError(
                "港澳台居民居住证号码格式错误：前6位应为810000（香港）、820000（澳门）或830000（台湾）"
            )
        birth, sex = _gb11643_like(value, kind.label, today)
        region = {"810000": "HKG", "820000": "MAC", "830000": "TWN"}[value[:6]]
        return Identity(kind, value, value, region, birth, sex)
    if kind is IdType.FOREIGN_PERMANENT:
        return _foreign_permanent(value, today)
    if kind is IdType.HK_MACAO_PERMIT:
        if not re.fullmatch(r"[HM]([0-9]{8}|[0-9]{10})", value):
            raise IdentityError(
                "港澳居民来往内地通行证号码格式错误：应为H（香港）或M（澳门）加8位数字（旧版为10位数字）"
            )
        return Identity(kind, value, value, "HKG" if value[0] == "H" else "MAC")
    if kind is IdType.TAIWAN_PERMIT:
        if not re.fullmatch(r"[0-9]{8}|[0-9]{10}", value):
            raise IdentityError("台湾居民来往大陆通行证号码格式错误：应为8位数字（旧版为10位数字）")
        return Identity(kind, value, value, "TWN")
    nat = _nationality(nationality, kind.label)
    clean = _foreign_number(value, f"{kind.label}号码")
    tag = "P" if kind is IdType.PASSPORT else "R"
    return Identity(kind, clean, f"{tag}{nat}:{clean}", nat)


def _foreign_permanent(value: str, today: date) -> Identity:
    label = IdType.FOREIGN_PERMANENT.label
    if len(value) == 15:
        if not re.fullmatch(r"[A-Z]{3}[0-9]{12}", value):
            raise IdentityError(f"{label}号码格式错误：15位旧版号码应为3位字母国籍代码加12位数字")
        if value[:3] not in ISO3166_ALPHA3:
            raise IdentityError(f"{label}号码格式错误：前3位“{value[:3]}”不是国籍代码")
        return Identity(IdType.FOREIGN_PERMANENT, value, value, value[:3])
    if len(value) == 18 and value[0] != "9":
        raise IdentityError(f"{label}号码格式错误：18位新版号码首位应为9")
    if len(value) != 18:
        raise IdentityError(f"{label}号码格式错误：应为18位（新版）或15位（旧版），实际为{len(value)}位")
    birth, sex = _gb11643_like(value, label, today)
    return Identity(IdType.FOREIGN_PERMANENT, value, value, "", birth, sex)


_PREFIXED = re.compile(r"(?P<tag>P|R)(?P<nat>[A-Z]{3}):(?P<number>[0-9A-Z]{1,13})")


def parse_subject(text: str, today: date) -> Identity:
    """Read a subject key or a bare identity number (as a screening partner sends it) and check it.

    The form tells the document: ``ORG:`` organisation code, ``P<nat>:`` passport, ``R<ctry>:`` overseas
    registration; 18 characters: 810000/820000/830000 residence permit, leading 9 permanent residence
    (or a credit code, whichever check passes), other all-digit a resident ID, else a credit code;
    15 characters: the old permanent-residence card; H/M + digits: the HK/Macao permit; 8 or 10 digits:
    the Taiwan permit.
    """
    value = _normalise(text or "")
    if value.startswith("ORG:"):
        return check_identity(IdType.ORG_CODE, value[4:], today)
    match = _PREFIXED.fullmatch(value)
    if match:
        kind = IdType.PASSPORT if match["tag"] == "P" else IdType.FOREIGN_REGISTRATION
        return check_identity(kind, match["number"], today, nationality=match["nat"])
    if len(value) == 18:
        if value[:6] in _HMT_PREFIXES:
            return check_identity(IdType.HMT_RESIDENCE, value, today)
        if re.fullmatch(r"[0-9]{17}[0-9X]", value) is None:
            return check_identity(IdType.USCC, value, today)
        person = IdType.FOREIGN_PERMANENT if value[0] == "9" else IdType.RESIDENT_ID
        try:
            return check_identity(person, value, today)
        except IdentityError as exc:
            # An all-digit unified social credit code has the same form; the person's error is the one told.
            try:
                return check_identity(IdType.USCC, value, today)
            except IdentityError:
                raise exc from None
    if len(value) == 15 and value[:3].isalpha():
        return check_identity(IdType.FOREIGN_PERMANENT, value, today)
    if value[:1] in ("H", "M") and value[1:].isdigit():
        return check_identity(IdType.HK_MACAO_PERMIT, value, today)
    if value.isdigit() and len(value) in (8, 10):
        return check_identity(IdType.TAIWAN_PERMIT, value, today)
    raise IdentityError("身份号码格式错误：不是可识别的身份证件号码或单位代码")


_DIGITS = frozenset("0123456789")


def subject_key(text: str, today: date) -> str:
    """``parse_subject(text, today).key``, with a fast path for the common 18-character resident ID.

    A screening check spends most of its parsing in what the key does not need (NFKC normalisation,
    the address-code warnings, the Identity). The fast path answers only an ASCII resident ID that
    `parse_subject` would accept as one (17 digits and a check character that matches, not a
    810000/820000/830000 residence permit, not a leading 9, a real birth date not after `today`); any
    other input, and every error, takes `parse_subject` itself, so keys and errors are the same.
    """
    if type(text) is str and len(text) == 18 and text.isascii():
        value = text if text[17] != "x" else text[:17] + "X"
        if (
            _DIGITS.issuperset(value[:17])
            and value[0] != "9"
            and value[:6] not in _HMT_PREFIXES
            and value[17] == _ric_check_char(value[:17])
        ):
            try:
                birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
            except ValueError:
                birth = None
            if birth is not None and birth <= today:
                return value
    return parse_subject(text, today).key


def stored_identity(
    id_type: str, id_number: str, credit_code: str, nationality: str, today: date
) -> Identity:
    """Re-check a stored party's identity (a credit code is kept apart from other numbers).

    Parties filed before document types existed have ``id_type`` empty or the default: a person's
    number is then a resident ID, an organisation's a credit code.
    """
    if id_type == IdType.USCC or (not id_type and credit_code and not id_number):
        return check_identity(IdType.USCC, credit_code, today)
    return check_identity(id_type or IdType.RESIDENT_ID, id_number, today, nationality=nationality)
