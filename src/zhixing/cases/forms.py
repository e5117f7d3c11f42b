"""Forms of the staff screens. They only parse input; every rule is checked by the services.

Fields the services validate (ID numbers, amounts, document numbers) are optional text here, so the
user sees the service's own Chinese message on the right field instead of a generic "必填".

The field helpers live in `form_fields`, the case-action forms in `forms_actions`; both are re-exported
here under their old names.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.forms import formset_factory

from .form_fields import DateInput as DateInput
from .form_fields import apply_service_error as apply_service_error
from .form_fields import date_field, text_field
from .forms_actions import AddNodeForm as AddNodeForm
from .forms_actions import AssignForm as AssignForm
from .forms_actions import CloseForm as CloseForm
from .forms_actions import CompleteNodeForm as CompleteNodeForm
from .forms_actions import DecisionForm as DecisionForm
from .forms_actions import EndExcludedPeriodForm as EndExcludedPeriodForm
from .forms_actions import ExcludedPeriodForm as ExcludedPeriodForm
from .forms_actions import ExtensionForm as ExtensionForm
from .forms_actions import InterestForm as InterestForm
from .forms_actions import ResumeCaseForm as ResumeCaseForm
from .forms_actions import ResumeExecutionForm as ResumeExecutionForm
from .forms_actions import SuspendForm as SuspendForm
from .forms_actions import closing_field_name as closing_field_name
from .forms_actions import handler_label as handler_label
from .models import (
    CaseStatus,
    CaseType,
    InstrumentType,
    Obligation,
    Party,
)
from .queries import CaseFilters
from .queries_preservation import open_preservations

# -- case list --------------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label="案号/当事人/证件号",
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": "案号任意部分、姓名或证件号后4位", "type": "search"}),
    )
    court = forms.ChoiceField(label="法院", required=False)
    handler = forms.TypedChoiceField(label="承办人", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *CaseStatus.choices])
    overdue = forms.BooleanField(label="仅看超期", required=False)
    debtor = forms.CharField(label="被执行人姓名/证件号", required=False, max_length=64)
    applicant = forms.CharField(label="申请执行人", required=False, max_length=64)
    filed_from = date_field("立案日期自", required=False)
    filed_to = date_field("立案日期至", required=False)

    def __init__(self, data: Any, *, courts: list[Any], handlers: list[Any]) -> None:
        super().__init__(data)
        self.fields["court"].choices = [("", "全部法院"), *((c.code, c.name) for c in courts)]  # type: ignore[attr-defined]
        multi_court = len({h.court_id for h in handlers}) > 1
        self.fields["handler"].choices = [  # type: ignore[attr-defined]
            ("", "全部承办人"),
            *((h.pk, f"{h.full_name}（{h.court.code}）" if multi_court else h.full_name) for h in handlers),
        ]

    def to_filters(self) -> CaseFilters:
        """Valid filters; an invalid one is dropped (its error is shown next to it)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CaseFilters(
            court=data.get("court") or "",
            handler=data.get("handler"),
            status=data.get("status") or "",
            overdue=bool(data.get("overdue")),
            debtor=(data.get("debtor") or "").strip(),
            filed_from=data.get("filed_from"),
            filed_to=data.get("filed_to"),
            q=(data.get("q") or "").strip(),
            applicant=(data.get("applicant") or "").strip(),
        )


# -- filing -----------------------------------------------------------------------------------------

FORMER_NAME_SPLIT = re.compile(r"[,，、;；\s]+")


class FilingForm(forms.Form):
    case_type = forms.ChoiceField(label="案件类型")
    applied_on = date_field("申请执行日期")
    filed_on = date_field("立案日期")
    instrument_type = forms.ChoiceField(label="执行依据类型")
    issuing_body = text_field("作出机关", 64)
    basis_number = text_field("执行依据文号", 64)
    effective_on = date_field("生效日期")
    # rule
    performance_deadline = date_field(
        "履行期限届满日",
        help_text="分期履行的填最后一期届满日；执行依据未规定履行期间的填生效日期"
        "（申请执行期间自生效之日起计算，民事诉讼法第250条）",
    )
    obligation = forms.ChoiceField(
        label="执行内容", choices=Obligation.choices, initial=Obligation.MONEY, required=False
    )
    obligation_detail = text_field(
        "履行内容", 200, help_text="行为履行案件必填：应交付的物、应迁出的房屋或应完成的行为"
    )
    principal = text_field("本金（元）", 32, help_text="行为履行案件无金钱给付的填0")
    adjudged_interest = text_field("判决利息（元）", 32, initial="0")
    litigation_costs = text_field("诉讼费用（元）", 32, initial="0")
    interest_rate = text_field(
        "判决年利率（%）",
        16,
        help_text="执行依据判令按年利率计付利息至实际清偿之日的填写，如3.45；只判固定利息数额的不填",
    )
    interest_from = date_field("利息起算日", required=False, help_text="按年利率计付利息的起算日（含当日）")
    instalments = forms.CharField(
        label="分期履行",
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2025-12-31 30000\n2026-01-31 70000"}),
        help_text="执行依据确定分期履行的，每行一期：履行期限届满日 金额；各期之和等于本金与诉讼费用之和，"
        "最后一期届满日即履行期限届满日。不分期的不填",
    )
    application_fee = text_field(
        "申请执行费（元）",
        32,
        help_text="仅无执行金额的案件填写，50至500元（诉讼费用交纳办法第14条）；不填按本院默认",
    )
    lawsuit_number = text_field(
        "诉讼案号（保全案件）",
        64,
        help_text="仅“执保”案件填写：作出保全裁定的诉讼案件案号；执行依据文号填保全裁定书文号",
    )
    preservation_case = forms.ChoiceField(
        label="转入的保全案件",
        required=False,
        help_text="判决生效后申请执行的，本院同一诉讼、当事人一致的保全案件的查封冻结措施转入本案，"
        "保持原顺位、期限与续行记录；不选时按执行依据文号（即诉讼案号）与当事人自动匹配",
    )
    confirm_duplicate = forms.BooleanField(label="确认重复立案", required=False)
    # The numbers of the duplicates the warning showed: the confirmation covers these cases only.
    duplicate_of = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4000)

    def clean_instalments(self) -> list[tuple[date, str]]:
        """Lines "YYYY-MM-DD amount" (any spaces, tabs or a comma between), one instalment each."""
        out: list[tuple[date, str]] = []
        for n, line in enumerate((self.cleaned_data.get("instalments") or "").splitlines(), start=1):
            parts = [p for p in re.split(r"[\s,，]+", line.strip()) if p]
            if not parts:
                continue
            if len(parts) != 2:
                raise forms.ValidationError(f"第{n}行应为“履行期限届满日 金额”，如 2026-01-31 30000")
            try:
                due_on = date.fromisoformat(parts[0])
            except ValueError:
                raise forms.ValidationError(f"第{n}行的日期应为有效日期（YYYY-MM-DD）") from None
            out.append((due_on, parts[1]))
        return out

    def confirmed_duplicates(self) -> list[str] | None:
        """The case numbers the user confirmed filing beside (None: the warning listed none)."""
        shown = self.cleaned_data.get("duplicate_of") or ""
        return [n for n in shown.split("、") if n] or None

    def __init__(self, *args: Any, court: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = [  # type: ignore[attr-defined]
            (t.code, f"{t.code}（{t.name}）")
            for t in CaseType.objects.filter(active=True, is_resumption=False)
        ]
        # 诉执衔接: the court's open preservation cases not yet carried, for the clerk to choose.
        self.preservations = open_preservations(court) if court is not None else []
        self.fields["preservation_case"].choices = [  # type: ignore[attr-defined]
            ("", "按诉讼案号与当事人自动匹配"),
            *(
                (
                    r.number,
                    f"{r.number}（诉讼案号{r.lawsuit_number}；{'、'.join(r.applicants)}诉{'、'.join(r.debtors)}）",
                )
                for r in self.preservations
            ),
        ]
        self.fields["instrument_type"].choices = [  # type: ignore[attr-defined]
            ("", "请选择"),
            *((i.code, i.name) for i in InstrumentType.objects.all()),
        ]
        self.fields["instrument_type"].error_messages["required"] = "请选择执行依据类型"


class PartyForm(forms.Form):
    role = forms.ChoiceField(label="诉讼地位", choices=Party.Role.choices, initial=Party.Role.DEBTOR)
    kind = forms.ChoiceField(label="主体类型", choices=Party.Kind.choices, initial=Party.Kind.PERSON)
    name = text_field("姓名/名称", 128)
    id_type = forms.ChoiceField(
        label="证件类型",
        required=False,
        choices=[("", "默认（自然人：居民身份证；单位：统一社会信用代码）"), *Party.IdType.choices],
    )
    id_number = text_field("证件号码", 32, help_text="单位无统一社会信用代码时填组织机构代码或境外登记号码")
    nationality = text_field("国籍/地区", 3, help_text="护照、境外登记号码必填，如USA、GBR、HKG")
    birth_date = date_field("出生日期", required=False, help_text="证件号码不含出生日期时填写（如护照）")
    credit_code = text_field("统一社会信用代码", 32)
    legal_representative = text_field("法定代表人", 64)
    address = text_field("住所地", 200)
    phone = text_field("联系电话", 32)
    former_names = text_field("曾用名", 200, help_text="多个用逗号或顿号分隔")

    def is_blank(self) -> bool:
        """A row the user added but left empty is ignored."""
        data = getattr(self, "cleaned_data", {})
        keys = (
            "name",
            "id_number",
            "nationality",
            "credit_code",
            "legal_representative",
            "address",
            "phone",
            "former_names",
        )
        return not any((data.get(k) or "").strip() for k in keys)

    def former_name_list(self) -> list[str]:
        return [n for n in FORMER_NAME_SPLIT.split(self.cleaned_data.get("former_names") or "") if n]


PartyFormSet = formset_factory(PartyForm, extra=0, min_num=1, max_num=30, validate_max=True)

INITIAL_PARTIES = [
    {"role": Party.Role.APPLICANT, "kind": Party.Kind.PERSON},
    {"role": Party.Role.DEBTOR, "kind": Party.Kind.PERSON},
]
