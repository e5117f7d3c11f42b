"""Pages of the checked statement import: upload → proposed layout → preview → confirm; copying a layout.

Thin: the flow is `services.previews` (nothing stored before confirm), the copy `services.layout_copies`.
The preview is a GET (re-previewing with another layout or edited fields changes nothing); the upload
and the confirmation are POSTs. A debtor the user cannot read is a 404, a write they may not make 403.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from zhixing.core import upload_limits
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.inputguard import json_field
from zhixing.courts.queries import object_id
from zhixing.courts.roles import Cap

from . import queries, samples
from .detection import COLUMN_FIELDS
from .models import ImportJob, StatementPreset
from .services import layout_copies, previews
from .services.imports import IMPORT_REFUSED


class LayoutEditForm(forms.ModelForm):
    """The fields of the previewed layout the user may change before importing."""

    class Meta:
        model = StatementPreset
        fields = previews.EDITABLE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in COLUMN_FIELDS:  # column names: suggest the file's own header names
            if name in self.fields:
                self.fields[name].widget.attrs["list"] = "file-columns"


# The page posts the edits it previewed as JSON; anything else (malformed, not an object, nested past
# the parser's depth) was not written by it.
EDITS_INVALID = "版式调整内容格式无效，请重新预览"


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


def _ref(request: HttpRequest, case_id: int, party_id: int) -> queries.DebtorRef:
    ref = queries.debtor(request.user, case_id, party_id)
    if ref is None:
        raise Http404
    return ref


def _preset(request: HttpRequest, raw: str | None) -> StatementPreset | None:
    """The layout the `preset` parameter names (its id), if the user may use it; none when empty."""
    if not raw:
        return None
    key = object_id(raw)  # "²" passes str.isdigit but not int(); an id past 64 bits names no row
    found = queries.preset(request.user, key) if key is not None else None
    if found is None:
        raise ServiceError("版式预设不存在", field="preset")
    return found


@login_required
@require_POST
def upload(request: HttpRequest, case_id: int, party_id: int) -> HttpResponse:
    """Hold the uploaded statement and open its preview."""
    ref = _ref(request, case_id, party_id)
    if not queries.allowed(request.user, ref, Cap.ANALYTICS_IMPORT):
        return _forbidden(request, IMPORT_REFUSED)
    f = request.FILES.get("file")
    try:
        upload_limits.check(f, "statement", field="file", label="流水文件")
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("analytics:debtor", case_id, party_id)
    if f is not None:
        data, name = f.read(), f.name or "upload"
    elif request.POST.get("sample") == "1":  # try the flow without a file at hand
        data, name = samples.DATA, samples.FILE_NAME
    else:
        messages.error(request, "请选择要导入的流水文件")
        return redirect("analytics:debtor", case_id, party_id)
    try:
        draft = previews.start(request.user, ref, data=data, file_name=name, today=timezone.localdate())
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("analytics:debtor", case_id, party_id)
    url = reverse("analytics:preview", args=[case_id, party_id])
    return redirect(f"{url}?{urlencode({'token': draft.token})}")


@login_required
@require_GET
def preview_page(request: HttpRequest, case_id: int, party_id: int) -> HttpResponse:
    """The proposals, the preview with its warnings, the layout's fields to edit, and confirm."""
    ref = _ref(request, case_id, party_id)
    if not queries.allowed(request.user, ref, Cap.ANALYTICS_IMPORT):
        return _forbidden(request, IMPORT_REFUSED)
    token = request.GET.get("token", "")
    edit_form = None
    try:
        preset = _preset(request, request.GET.get("preset"))
        edits = None
        if preset is not None and request.GET.get("edit") == "1":
            edit_form = LayoutEditForm(request.GET, instance=StatementPreset())
            if edit_form.is_valid():
                edits = {
                    k: edit_form.cleaned_data[k] for k in previews.EDITABLE if k in edit_form.cleaned_data
                }
        draft = previews.review(
            request.user,
            ref,
            token=token,
            today=timezone.localdate(),
            preset=preset,
            edits=edits,
            suggested=edits is None and request.GET.get("suggest") == "1",
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("analytics:debtor", case_id, party_id)
    if draft.layout is not None and (edit_form is None or edit_form.is_valid()):
        edit_form = LayoutEditForm(instance=draft.layout)
    return render(
        request,
        "analytics/preview.html",
        {
            "ref": ref,
            "draft": draft,
            "edit_form": edit_form,
            "edits_json": json.dumps(draft.changes, default=str),
            "modes": ImportJob.Mode.choices,
            "can_copy": request.user.can(Cap.ANALYTICS_PRESET),  # type: ignore[union-attr]
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, case_id: int, party_id: int) -> HttpResponse:
    """Import the held file with the previewed layout (saving a changed layout as the court's copy)."""
    ref = _ref(request, case_id, party_id)
    if not queries.allowed(request.user, ref, Cap.ANALYTICS_IMPORT):
        return _forbidden(request, IMPORT_REFUSED)
    token = request.POST.get("token", "")
    try:
        edits = json_field(request.POST.get("edits"), dict, field="edits", message=EDITS_INVALID)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("analytics:debtor", case_id, party_id)
    mode = request.POST.get("mode", ImportJob.Mode.STRICT)
    if mode not in ImportJob.Mode.values:
        mode = ImportJob.Mode.STRICT
    try:
        job = previews.confirm(
            request.user,
            ref,
            token=token,
            preset=_preset(request, request.POST.get("preset")),
            today=timezone.localdate(),
            edits=edits,
            mode=mode,
            copy_name=request.POST.get("copy_name", ""),
        )
    except NotPermitted as exc:
        return _forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
        url = reverse("analytics:preview", args=[case_id, party_id])
        return redirect(f"{url}?{urlencode({'token': token})}")
    copied = job.preset is not None and not job.preset.builtin and job.preset.court_id is not None
    note = f"，版式已另存为本院版式“{job.preset.name}”" if copied and job.preset else ""
    messages.success(request, f"已提交导入：{job.file_name}（{job.total_rows}行）{note}")
    return redirect("analytics:debtor", case_id, party_id)


@login_required
@require_POST
def copy_preset(request: HttpRequest, preset_id: int) -> HttpResponse:
    """Copy a layout the court may use into an editable layout of its own, then open it."""
    source = queries.preset(request.user, preset_id)
    if source is None:
        raise Http404
    try:
        copy = layout_copies.copy_preset(request.user, source, name=request.POST.get("name", ""))
    except NotPermitted as exc:
        return _forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("analytics:presets")
    messages.success(request, f"已复制为本院版式：{copy.name}，可在此修改")
    return redirect("analytics:preset_edit", copy.pk)
