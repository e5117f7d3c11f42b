"""Parties of a case (当事人): applicants and debtors, natural persons and organisations.

Re-exported by `zhixing.cases.models`. A party's identity number is checked at filing by the rules of
its document (`id_type`, see `zhixing.core.id_documents`): a person's number of any document is kept
in `id_number`, an organisation's unified social credit code in `credit_code`, and an organisation
without one keeps its organisation code or overseas registration number in `id_number`.
"""

from __future__ import annotations

from django.db import models

from zhixing.core.id_documents import ORGANISATION_TYPES, PERSON_TYPES
from zhixing.core.id_documents import IdType as DocType


class IdType(models.TextChoices):
    """The document of a party's identity number (zhixing.core.id_documents.IdType, with its labels)."""

    RESIDENT_ID = DocType.RESIDENT_ID.value, DocType.RESIDENT_ID.label
    HMT_RESIDENCE = DocType.HMT_RESIDENCE.value, DocType.HMT_RESIDENCE.label
    FOREIGN_PERMANENT = DocType.FOREIGN_PERMANENT.value, DocType.FOREIGN_PERMANENT.label
    HK_MACAO_PERMIT = DocType.HK_MACAO_PERMIT.value, DocType.HK_MACAO_PERMIT.label
    TAIWAN_PERMIT = DocType.TAIWAN_PERMIT.value, DocType.TAIWAN_PERMIT.label
    PASSPORT = DocType.PASSPORT.value, DocType.PASSPORT.label
    USCC = DocType.USCC.value, DocType.USCC.label
    ORG_CODE = DocType.ORG_CODE.value, DocType.ORG_CODE.label
    FOREIGN_REGISTRATION = DocType.FOREIGN_REGISTRATION.value, DocType.FOREIGN_REGISTRATION.label


PERSON_ID_TYPES = tuple(t.value for t in PERSON_TYPES)
ORGANISATION_ID_TYPES = tuple(t.value for t in ORGANISATION_TYPES)


class Party(models.Model):
    """An applicant or debtor of a case: a natural person or an organisation."""

    audit_protected = True

    class Role(models.TextChoices):
        APPLICANT = "applicant", "申请执行人"
        DEBTOR = "debtor", "被执行人"

    class Kind(models.TextChoices):
        PERSON = "person", "自然人"
        ORGANISATION = "organisation", "单位"

    class Sex(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    IdType = IdType

    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.CASCADE, related_name="parties", verbose_name="案件"
    )
    role = models.CharField("诉讼地位", max_length=16, choices=Role.choices)
    kind = models.CharField("主体类型", max_length=16, choices=Kind.choices)
    name = models.CharField("姓名/名称", max_length=128, db_index=True)
    id_type = models.CharField(
        "证件类型",
        max_length=24,
        choices=IdType.choices,
        default=IdType.RESIDENT_ID,
        help_text="自然人：居民身份证、港澳台居民居住证、外国人永久居留身份证、港澳/台湾通行证或护照；"
        "单位：统一社会信用代码，无统一代码的填组织机构代码或境外登记号码",
    )
    id_number = models.CharField(
        "证件号码",
        max_length=32,
        blank=True,
        db_index=True,
        help_text="自然人的证件号码，或无统一社会信用代码单位的组织机构代码/境外登记号码，按证件类型规则核验",
    )
    nationality = models.CharField(
        "国籍/地区",
        max_length=3,
        blank=True,
        default="",
        help_text="护照签发国或境外组织登记地的三位字母代码（ISO 3166-1，如USA、HKG）",
    )
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    address = models.CharField("住所地", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        db_index=True,
        help_text="18位统一社会信用代码，校验码经自动核验",
    )
    legal_representative = models.CharField("法定代表人", max_length=64, blank=True)
    is_minor = models.BooleanField("未成年人", default=False, help_text="立案时未满18周岁；不得纳入失信名单")
    id_warnings = models.CharField(
        "身份信息提示",
        max_length=200,
        blank=True,
        help_text="身份号码核验的提示（非错误），如地址码晚于出生年份",
    )

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["case", "role", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"

    @property
    def identity_number(self) -> str:
        return self.id_number or self.credit_code


class PartyAlias(models.Model):
    """A former name (曾用名) of a person, found by name search."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="aliases", verbose_name="当事人")
    name = models.CharField("曾用名", max_length=128, db_index=True)

    class Meta:
        verbose_name = "曾用名"
        verbose_name_plural = "曾用名"

    def __str__(self) -> str:
        return self.name
