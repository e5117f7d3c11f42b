"""The filing screen (立案): the application form with a formset of parties → `services.file_case`."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from zhixing.core.errors import NeedsConfirmation, NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from . import queries_term, services
from .forms import INITIAL_PARTIES, FilingForm, PartyForm, PartyFormSet, apply_service_error
from .views_access import current_staff, forbidden

_PARTY_FIELD = re.compile(r"^parties\[(\d+)\]\.(\w+)$")


def _filing_data(form: FilingForm, rows: list[tuple[int, PartyForm]]) -> services.FilingData:
    d = form.cleaned_data
    return services.FilingData(
        case_type=d["case_type"],
        applied_on=d["applied_on"],
        filed_on=d["filed_on"],
        instrument_type=d["instrument_type"],
        issuing_body=d["issuing_body"],
        basis_number=d["basis_number"],
        effective_on=d["effective_on"],
        performance_deadline=d["performance_deadline"],
        principal=d["principal"],
        adjudged_interest=d["adjudged_interest"] or "0",
        litigation_costs=d["litigation_costs"] or "0",
        interest_rate=d["interest_rate"],
        interest_from=d["interest_from"],
        instalments=d["instalments"],
        obligation=d["obligation"] or "money",
        obligation_detail=d["obligation_detail"],
        application_fee=d["application_fee"],
        confirm_duplicate=d["confirm_duplicate"],
        confirmed_duplicates=form.confirmed_duplicates(),
        lawsuit_number=d["lawsuit_number"],
        preservation_case=d["preservation_case"],
        parties=[
            services.PartyData(
                role=p.cleaned_data["role"],
                kind=p.cleaned_data["kind"],
                name=p.cleaned_data["name"],
                id_number=p.cleaned_data["id_number"],
                credit_code=p.cleaned_data["credit_code"],
                address=p.cleaned_data["address"],
                phone=p.cleaned_data["phone"],
                legal_representative=p.cleaned_data["legal_representative"],
                former_names=p.former_name_list(),
                id_type=p.cleaned_data["id_type"],
                nationality=p.cleaned_data["nationality"],
                birth_date=p.cleaned_data["birth_date"],
            )
            for _, p in rows
        ],
    )


def _apply_error(
    exc: ServiceError, form: FilingForm, rows: list[tuple[int, PartyForm]], party_errors: list[str]
) -> None:
    """`parties[1].id_number` → that formset row's field; `parties` → the parties section."""
    match = _PARTY_FIELD.match(exc.field or "")
    if match and int(match.group(1)) < len(rows):
        index, name = int(match.group(1)), match.group(2)
        row, party_form = rows[index]
        # The service numbers the parties it was given; blank rows were skipped, so renumber.
        message = exc.message.replace(f"第{index + 1}位当事人", f"第{row + 1}位当事人", 1)
        party_form.add_error(name if name in party_form.fields else None, message)
    elif (exc.field or "").startswith("parties"):
        party_errors.append(exc.message)
    else:
        apply_service_error(form, exc)


@login_required
@require_http_methods(["GET", "POST"])
def case_file(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    court = getattr(user, "court", None)
    if court is None or not user.can(Cap.CASE_FILE):
        return forbidden(request, "您的岗位无立案权限")
    party_errors: list[str] = []
    needs_confirmation = False
    if request.method == "POST":
        form = FilingForm(request.POST, court=court)
        formset = PartyFormSet(request.POST, prefix="parties")
        if form.is_valid() and formset.is_valid():
            rows = [(i, p) for i, p in enumerate(formset.forms) if not p.is_blank()]
            try:
                case = services.file_case(user, court, _filing_data(form, rows))
            except NotPermitted as exc:
                return forbidden(request, exc.message)
            except NeedsConfirmation as exc:
                needs_confirmation = True
                if isinstance(exc, services.DuplicateFiling):
                    # Re-ask: the confirmation will cover exactly the cases listed now.
                    data = request.POST.copy()
                    data["duplicate_of"] = "、".join(exc.numbers)
                    data.pop("confirm_duplicate", None)
                    form.data = data
                form.add_error("confirm_duplicate", exc.message)
            except ServiceError as exc:
                _apply_error(exc, form, rows, party_errors)
            else:
                messages.success(
                    request,
                    f"立案成功，案号：{case.number}；申请执行费{case.application_fee:,.2f}元（执行后交纳）",
                )
                limitation = queries_term.limitation_of(case)
                if limitation.expired:
                    messages.warning(request, limitation.message)
                return redirect("case_detail", pk=case.pk)
    else:
        form = FilingForm(initial={"filed_on": timezone.localdate()}, court=court)
        formset = PartyFormSet(prefix="parties", initial=INITIAL_PARTIES)
    context: dict[str, Any] = {
        "form": form,
        "formset": formset,
        "party_errors": party_errors,
        "court": court,
        "show_confirm": needs_confirmation or bool(request.POST.get("confirm_duplicate")),
        "has_errors": bool(party_errors)
        or bool(request.method == "POST" and formset.total_error_count())
        or any(name != "confirm_duplicate" for name in form.errors),
    }
    return render(request, "cases/file.html", context)
