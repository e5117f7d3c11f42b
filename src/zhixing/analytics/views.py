"""Pages of ability-to-pay analysis; thin: reads via `queries`, writes via `services`, imports via Huey.

A debtor the user cannot read is a 404; a write the user may not make is a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhixing.core import downloads, spreadsheet
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.export_tables import exportable
from zhixing.courts.roles import Cap
from zhixing.documents import queries as document_queries
from zhixing.inquiry import services as inquiry_services

from . import documents_kinds, leadrules, queries, queries_record, report, services, tasks
from .dates import DATE_CHOICES, TIME_CHOICES
from .forms import ImportForm, PresetForm, ProfileForm, RelatedForm
from .services.imports import IMPORT_REFUSED
from .services.profiles import PROFILE_REFUSED


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


def _ref(request: HttpRequest, case_id: int, party_id: int) -> queries.DebtorRef:
    ref = queries.debtor(request.user, case_id, party_id)
    if ref is None:
        raise Http404
    return ref


@login_required
@require_GET
@exportable
def index(request: HttpRequest) -> HttpResponse:
    runs = queries.batches(request.user)
    return render(
        request,
        "analytics/index.html",
        {
            "runs": runs,
            "latest": runs[0] if runs else None,
            "debtors": queries.recent_debtors(request.user),
            "can_batch": queries.may_batch(request.user),
        },
    )


@login_required
def debtor_page(request: HttpRequest, case_id: int, party_id: int) -> HttpResponse:
    ref = _ref(request, case_id, party_id)
    return render(
        request,
        "analytics/debtor.html",
        {
            "ref": ref,
            "jobs": queries.jobs_for(party_id),
            "can_import": queries.allowed(request.user, ref, Cap.ANALYTICS_IMPORT),
            "can_profile": queries.allowed(request.user, ref, Cap.ANALYTICS_PROFILE),
            "import_form": ImportForm(initial={"mode": "strict"}, user=request.user),
            "related_form": RelatedForm(),
            "profile_form": ProfileForm(),
            "related": queries.related_people(party_id),
            "profile": queries.latest_profile(party_id),
            "tx_count": queries.transaction_count(party_id),
        },
    )


@login_required
@require_POST
def upload(request: HttpRequest, case_id: int, party_id: int) -> HttpResponse:
    ref = _ref(request, case_id, party_id)
    if not queries.allowed(request.user, ref, Cap.ANALYTICS_IMPORT):
        return _forbidden(request, IMPORT_REFUSED)
    form = ImportForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("analytics:debtor", case_id, party_id)
    f = form.cleaned_data["file"]
    try:
        job = services.create_import(
            request.user,
            ref,
            kind=form.cleaned_data["kind"],
            file_name=f.name,
            data=f.read(),
            preset=form.cleaned_data["preset"],
            mode=form.cleaned_data["mode"],
            period_start=form.cleaned_data.get("period_start"),
            period_end=form.cleaned_data.get("period_end"),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("analytics:debtor", case_id, party_id)
    messages.success(request, f"已提交导入：{f.name}（{job.total_rows}行）")
    return redirect("analytics:debtor", case_id, party_id)


@login_required
@require_GET
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    job = queries.job(request.user, job_id)
    if job is None:
        raise Http404
    return render(request, "analytics/_job.html", {"job": job, "quarantine": queries.quarantine_of(job)})


@login_required
@require_POST
def add_related(request: HttpRequest, case_id: int, party_id: int) -> HttpResponse:
    ref = _ref(request, case_id, party_id)
    form = RelatedForm(request.POST)
    if form.is_valid():
        try:
            services.add_related_person(request.user, ref, **form.cleaned_data)
        except NotPermitted as exc:
            return _forbidden(request, exc.message)
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:  # the page redirects back: say what was wrong, field by field (it once said nothing)
        messages.error(request, _form_errors(form))
    return redirect("analytics:debtor", case_id, party_id)


def _form_errors(form: Any) -> str:
    """A failed form's errors naming each field: `关系：选择一个有效的选项…；姓名/名称：这个字段是必填项。`"""
    return "；".join(
        f"{form.fields[name].label}：{' '.join(str(e) for e in errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


@login_required
@require_POST
def compute(request: HttpRequest, case_id: int, party_id: int) -> HttpResponse:
    ref = _ref(request, case_id, party_id)
    if not queries.allowed(request.user, ref, Cap.ANALYTICS_PROFILE):
        return _forbidden(request, PROFILE_REFUSED)
    form = ProfileForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("analytics:debtor", case_id, party_id)
    d = form.cleaned_data
    try:
        prof = services.compute_profile(
            request.user,
            ref,
            start=d["start"],
            end=d["end"],
            restrictions=d["restrictions"],
            freezes=d["freezes"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("analytics:debtor", case_id, party_id)
    return redirect("analytics:profile", prof.pk)


def _profile_ctx(request: HttpRequest, profile_id: int) -> dict[str, Any]:
    prof = queries.profile(request.user, profile_id)
    if prof is None:
        raise Http404
    ref = queries.debtor(request.user, prof.party.case_id, prof.party_id)
    if ref is None:
        raise Http404
    return report.context(prof, ref)


@login_required
@require_GET
def profile(request: HttpRequest, profile_id: int) -> HttpResponse:
    ctx = _profile_ctx(request, profile_id)
    ref = ctx["ref"]
    record = queries_record.debtor_record(request.user, ref)
    if record.register is not None:  # a look at a person's property: audited once a day
        inquiry_services.record_register_view(request.user, ref.case, channel="analytics")
    ctx.update(
        record=record,
        can_follow=queries.allowed(request.user, ref, Cap.INQUIRY_REQUEST),
        can_field=queries.allowed(request.user, ref, Cap.NODE_COMPLETE),
        field_kinds=leadrules.FIELD_KINDS,
        # The report as a stored document (Word/PDF through the documents capability, issue 17).
        **document_queries.offer(request.user, ref.case, documents_kinds.CODE, str(ctx["profile"].pk)),
    )
    return render(request, "analytics/profile.html", ctx)


@login_required
@require_GET
def evidence(request: HttpRequest, profile_id: int, rule: str) -> HttpResponse:
    ctx = _profile_ctx(request, profile_id)
    finding = next((f for f in ctx["profile"].findings if f["rule"] == rule), None)
    if finding is None:
        raise Http404
    rows = queries.transactions(ctx["party"].pk, finding["evidence"])
    trips = queries.travel_records(ctx["party"].pk, finding.get("travel_evidence", []))
    return render(
        request, "analytics/evidence.html", {**ctx, "finding": finding, "rows": rows, "trips": trips}
    )


def _report_name(ctx: dict[str, Any], ext: str, what: str = "财产分析报告") -> str:
    """E.g. "（2026）粤0106执123号-张三-财产分析报告.docx": the case, the debtor, the document."""
    return downloads.case_file_name(ctx["case"].number, f"{ctx['party'].name}-{what}", ext)


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    return downloads.file_response(data, content_type, name)


@login_required
@require_GET
def bundle(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Evidence bundle: every transaction and trip behind every finding, as CSV (e.g. for a referral)."""
    ctx = _profile_ctx(request, profile_id)
    data, rows = report.bundle_csv(ctx)
    services.record_export(request.user, ctx["profile"], "evidence.csv", rows=rows, filters={})
    return _download(data, spreadsheet.CSV_CONTENT_TYPE, _report_name(ctx, "csv", "证据材料"))


@login_required
@require_GET
def report_print(request: HttpRequest, profile_id: int) -> HttpResponse:
    return render(request, "analytics/report_print.html", _profile_ctx(request, profile_id))


@login_required
@exportable
def presets(request: HttpRequest, preset_id: int | None = None) -> HttpResponse:
    """The layouts the user's court may use, and the form for a new or an own layout.

    Another court's own layout is a 404; a usable but read-only one (built-in, platform-wide or shared
    by a higher court) opens read-only, and a POST to it is refused (403).
    """
    user: Any = request.user
    instance = queries.preset(user, preset_id) if preset_id else None
    if preset_id and instance is None:
        raise Http404
    editable = instance is None or queries.preset_editable(user, instance)
    if request.method == "POST" and not editable:
        return _forbidden(request, "只能修改本院定义的版式；内置版式与上级法院共享的版式为只读")
    form = PresetForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_preset(user, form.cleaned_data, instance)
        except NotPermitted as exc:
            return _forbidden(request, exc.message)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "版式预设已保存")
            return redirect("analytics:presets")
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    rows = [(p, queries.preset_editable(user, p)) for p in queries.presets(user)]
    return render(
        request,
        "analytics/presets.html",
        {
            "form": form,
            "rows": rows,
            "instance": instance,
            "editable": editable,
            "can_define": user.court is not None and user.can(Cap.ANALYTICS_PRESET),
            "date_choices": DATE_CHOICES,
            "time_choices": TIME_CHOICES,
        },
    )


@login_required
@require_POST
def preset_delete(request: HttpRequest, preset_id: int) -> HttpResponse:
    instance = queries.preset(request.user, preset_id)
    if instance is None:
        raise Http404
    try:
        services.delete_preset(request.user, instance)
    except NotPermitted as exc:
        return _forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除版式：{instance.name}")
    return redirect("analytics:presets")


@login_required
@require_POST
def start_batch(request: HttpRequest) -> HttpResponse:
    try:
        run = services.create_batch(request.user)
    except NotPermitted as exc:
        return _forbidden(request, exc.message)
    transaction.on_commit(lambda: tasks.batch_task(run.pk))
    return redirect("analytics:index")


@login_required
@require_GET
def batch_progress(request: HttpRequest, batch_id: int) -> HttpResponse:
    run = queries.batch(request.user, batch_id)
    if run is None:
        raise Http404
    return render(request, "analytics/_batch.html", {"run": run, "top": queries.ranking(run)})
