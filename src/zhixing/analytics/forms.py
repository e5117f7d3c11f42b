"""Forms of the analytics pages (labels in Chinese)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from zhixing.core import upload_limits
from zhixing.core.date_picker import DateInput
from zhixing.core.errors import ServiceError

from .models import ImportJob, RelatedPerson, StatementPreset
from .queries import usable_presets


class PresetChoice(forms.ModelChoiceField):
    """A layout; one a higher court shares is labelled with that court (built-in and own ones by name)."""

    own_court_id: int | None = None

    def label_from_instance(self, obj: Any) -> str:
        if obj.court_id is None or obj.court_id == self.own_court_id:
            return str(obj.name)
        return f"{obj.name}（{obj.court.name}共享）"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="数据类型", choices=ImportJob.Kind.choices)
    preset = PresetChoice(
        label="版式预设", queryset=StatementPreset.objects.none(), required=False, help_text="导入流水时必选"
    )
    mode = forms.ChoiceField(label="校验方式", choices=ImportJob.Mode.choices)
    file = forms.FileField(
        label="文件", help_text="CSV、Excel（xlsx、xls）或 Parquet；Parquet 按列名对应版式预设"
    )
    period_start = forms.DateField(
        label="账单起始日",
        required=False,
        widget=DateInput(),
        help_text="流水所属账单期间（可空）；日期不含年份的版式（如信用卡“12/29”）据此确定年份",
    )
    period_end = forms.DateField(label="账单终止日", required=False, widget=DateInput())

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            upload_limits.check(upload, "statement", field="file", label="导入文件")
        except ServiceError as exc:
            raise forms.ValidationError(exc.message) from None
        return upload

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the layouts the user's court may use: another court's own layouts are not offered.
        field = self.fields["preset"]
        field.queryset = usable_presets(user)  # type: ignore[attr-defined]
        field.own_court_id = getattr(user, "court_id", None)  # type: ignore[attr-defined]


class RelatedForm(forms.Form):
    name = forms.CharField(label="姓名/名称", max_length=128)
    relation = forms.ChoiceField(label="关系", choices=RelatedPerson.Relation.choices)
    account = forms.CharField(label="账号", max_length=64, required=False)


class ProfileForm(forms.Form):
    start = forms.DateField(label="分析起始日", required=False, widget=DateInput())
    end = forms.DateField(label="分析终止日", required=False, widget=DateInput())
    restrictions = forms.CharField(
        label="限制消费期间",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "2024-01-01 至 2024-12-31（每行一段，终止日可空）"}
        ),
        help_text="留空则使用信用惩戒模块登记的限制消费令（含同一身份号码在其他案件中的限消）",
    )
    freezes = forms.CharField(
        label="冻结日期",
        required=False,
        help_text="多个日期用逗号分隔；留空则使用查控模块记录的冻结、查封生效日期",
    )

    def clean_restrictions(self) -> list[tuple[date, date | None]] | None:
        text = self.cleaned_data.get("restrictions", "").strip()
        if not text:
            return None
        out: list[tuple[date, date | None]] = []
        for i, line in enumerate(text.splitlines(), start=1):
            parts = [p.strip() for p in line.replace("至", " ").split() if p.strip()]
            try:
                start = date.fromisoformat(parts[0])
                end = date.fromisoformat(parts[1]) if len(parts) > 1 else None
            except (ValueError, IndexError):
                raise forms.ValidationError(f"第{i}行日期格式应为 YYYY-MM-DD 至 YYYY-MM-DD") from None
            out.append((start, end))
        return out

    def clean_freezes(self) -> list[date] | None:
        text = self.cleaned_data.get("freezes", "").strip()
        if not text:
            return None
        try:
            return [date.fromisoformat(p.strip()) for p in text.replace("，", ",").split(",") if p.strip()]
        except ValueError:
            raise forms.ValidationError("日期格式应为 YYYY-MM-DD") from None


class PresetForm(forms.ModelForm):
    """A court's own layout; the owning court and the built-in flag are never taken from the form."""

    class Meta:
        model = StatementPreset
        fields = [
            f.name for f in StatementPreset._meta.concrete_fields if f.name not in ("id", "builtin", "court")
        ]
        # Formats are chosen from a list (datalist in the page) or typed as a pattern.
        widgets = {
            "date_format": forms.TextInput(attrs={"list": "date-formats", "placeholder": "自动识别"}),
            "time_format": forms.TextInput(attrs={"list": "time-formats", "placeholder": "自动识别"}),
        }

    def data_dict(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class RateForm(forms.Form):
    """One conversion rate to yuan, in force from a day (`services.set_exchange_rate` checks it)."""

    currency = forms.CharField(label="币种", max_length=3, help_text="三位字母代码，如 USD、HKD、SGD")
    valid_from = forms.DateField(label="起始日期", widget=DateInput(), help_text="该汇率自此日起适用")
    rate = forms.DecimalField(
        label="汇率", max_digits=12, decimal_places=6, help_text="1 单位外币折合人民币元，如 7.1234"
    )
    note = forms.CharField(label="说明", max_length=100, required=False, help_text="如：中国人民银行中间价")
