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

from zhixing.core.errors import NotPermitted, ServiceError

from . import queries, report, services, tasks
from .forms import ImportForm, PresetForm, ProfileForm, RelatedForm
from .models import StatementPreset


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


def _ref(request: HttpRequest, case_id: int, party_id: int) -> queries.DebtorRef:
    ref = queries.debtor(request.user, case_id, party_id)
    if ref is None:
        raise Http404
    return ref


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    runs = queries.batches(request.user)
    return render(
        request,
        "analytics/index.html",
        {"runs": runs, "latest": runs[0] if runs else None, "debtors": queries.recent_debtors(request.user)},
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
            "can_write": queries.can_write(request.user, ref),
            "import_form": ImportForm(initial={"mode": "strict"}),
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
    if not queries.can_write(request.user, ref):
        return _forbidden(request, "只有本案所在法院的工作人员可以导入数据")
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request, "；".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        )
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
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("analytics:debtor", case_id, party_id)
    transaction.on_commit(lambda: tasks.import_job_task(job.pk))
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
    return redirect("analytics:debtor", case_id, party_id)


@login_required
@require_POST
def compute(request: HttpRequest, case_id: int, party_id: int) -> HttpResponse:
    ref = _ref(request, case_id, party_id)
    if not queries.can_write(request.user, ref):
        return _forbidden(request, "只有本案所在法院的工作人员可以生成画像")
    form = ProfileForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(" ".join(str(e) for e in v) for v in form.errors.values()))
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
    return render(request, "analytics/profile.html", _profile_ctx(request, profile_id))


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


@login_required
@require_GET
def report_docx(request: HttpRequest, profile_id: int) -> HttpResponse:
    ctx = _profile_ctx(request, profile_id)
    resp = HttpResponse(
        report.docx_bytes(ctx),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    resp["Content-Disposition"] = f'attachment; filename="profile-{profile_id}.docx"'
    return resp


@login_required
@require_GET
def bundle(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Evidence bundle: every transaction and trip behind every finding, as CSV (e.g. for a referral)."""
    ctx = _profile_ctx(request, profile_id)
    resp = HttpResponse(report.bundle_csv(ctx), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="evidence-{profile_id}.csv"'
    return resp


@login_required
@require_GET
def report_print(request: HttpRequest, profile_id: int) -> HttpResponse:
    return render(request, "analytics/report_print.html", _profile_ctx(request, profile_id))


@login_required
@require_GET
def report_pdf(request: HttpRequest, profile_id: int) -> HttpResponse:
    ctx = _profile_ctx(request, profile_id)
    resp = HttpResponse(report.pdf_bytes(report.report_html(ctx)), content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="profile-{profile_id}.pdf"'
    return resp


@login_required
def presets(request: HttpRequest, preset_id: int | None = None) -> HttpResponse:
    instance = StatementPreset.objects.filter(pk=preset_id).first() if preset_id else None
    if preset_id and instance is None:
        raise Http404
    form = PresetForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_preset(request.user, form.cleaned_data, instance)
        except NotPermitted as exc:
            return _forbidden(request, exc.message)
        except ServiceError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, "版式预设已保存")
            return redirect("analytics:presets")
    return render(
        request, "analytics/presets.html", {"form": form, "presets": queries.presets(), "instance": instance}
    )


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
