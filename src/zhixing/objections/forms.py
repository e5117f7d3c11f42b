"""Forms of objections: the third-party objection (counter and public) — plain field lists; the service
validates (ID number, asset, dates) and names the field in its error."""

from __future__ import annotations

from typing import Any

from django import forms

from .services import ObjectorData


class ObjectorForm(forms.Form):
    objector_name = forms.CharField(label="异议人姓名或名称", max_length=128)
    objector_id_number = forms.CharField(
        label="身份证号码或统一社会信用代码",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    objector_phone = forms.CharField(label="联系电话", max_length=32, required=False)
    claim = forms.CharField(
        label="主张的权利", max_length=200, help_text="如：该房屋系本人所有、已付清价款并实际占有"
    )
    grounds = forms.CharField(
        label="异议理由及证据", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def objector(self) -> ObjectorData:
        d: dict[str, Any] = self.cleaned_data
        return ObjectorData(
            name=d["objector_name"],
            id_number=d["objector_id_number"],
            claim=d["claim"],
            grounds=d["grounds"],
            phone=d.get("objector_phone", ""),
        )


class PublicObjectionForm(ObjectorForm):
    case_number = forms.CharField(label="执行案号", max_length=64, help_text="如（2026）粤0106执1234号")
    asset_ref = forms.CharField(
        label="被查封财产的证号", max_length=64, help_text="不动产权证号、车牌号或账号"
    )


class PublicActObjectionForm(forms.Form):
    """An interested person's (利害关系人) objection to a freeze or seizure, on the public portal."""

    objector_name = forms.CharField(label="利害关系人姓名或名称", max_length=128)
    objector_id_number = forms.CharField(
        label="身份证号码或统一社会信用代码",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    objector_phone = forms.CharField(label="联系电话", max_length=32)
    case_number = forms.CharField(label="执行案号", max_length=64, help_text="如（2026）粤0106执1234号")
    asset_ref = forms.CharField(
        label="被查封、扣押、冻结财产的证号",
        max_length=64,
        help_text="查封公告或协助执行通知书上载明的不动产权证号、车牌号或账号",
    )
    claim = forms.CharField(
        label="主张的利害关系", max_length=200, help_text="如：本人系该房屋的抵押权人、共有人或承租人"
    )
    grounds = forms.CharField(
        label="异议理由及证据", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def interested(self) -> ObjectorData:
        d: dict[str, Any] = self.cleaned_data
        return ObjectorData(
            name=d["objector_name"],
            id_number=d["objector_id_number"],
            claim=d["claim"],
            grounds="",
            phone=d["objector_phone"],
        )
