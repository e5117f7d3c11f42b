"""Seeding path 2: turn plans into rows consistent with what the services would have stored."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from zhixing.cases.models import (
    CaseNumberCounter,
    CaseStatus,
    CaseType,
    ClosingMode,
    EnforcementCase,
    Extension,
    InstrumentType,
    Node,
    NodeType,
    Party,
    PartyAlias,
    Suspension,
)
from zhixing.cases.rules import Pause, application_fee
from zhixing.cases.services.filing import format_case_number
from zhixing.core import audit
from zhixing.core.identity import is_minor

from .plan import LEAD_NOTE, NODE_DOCUMENTS, CasePlan, Deadlines, NodeKind
from .tables import Table


class BulkWriter:
    """Turns plans into rows consistent with what the services would have stored."""

    def __init__(self, deadlines: Deadlines, node_kinds: dict[str, NodeKind], today: date) -> None:
        self.deadlines = deadlines
        self.today = today
        self.auto_kinds = [nk for nk in node_kinds.values() if nk.auto_create]
        self.lead_kind = node_kinds["verify_lead"]
        self.case_type = {ct.code: ct.pk for ct in CaseType.objects.all()}
        self.instrument = {it.code: it.pk for it in InstrumentType.objects.all()}
        self.counters: dict[tuple[int, int, int], int] = defaultdict(int)
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.cases = Table(
            EnforcementCase,
            (
                "id",
                "court_id",
                "case_type_id",
                "year",
                "seq",
                "number",
                "status",
                "applied_on",
                "filed_on",
                "handler_id",
                "team_id",
                "assigned_on",
                "instrument_type_id",
                "issuing_body",
                "basis_number",
                "effective_on",
                "performance_deadline",
                "non_litigation",
                "principal",
                "adjudged_interest",
                "litigation_costs",
                "application_fee",
                "paid_amount",
                "term_due",
                "next_due_on",
                "extension_months",
                "calendar_uncertain",
                "closing_mode",
                "closed_on",
                "closing_details",
                "origin_id",
                "created_by_id",
                "created_at",
            ),
        )
        self.parties = Table(
            Party,
            (
                "id",
                "case_id",
                "role",
                "kind",
                "name",
                "id_type",
                "id_number",
                "sex",
                "birth_date",
                "address",
                "phone",
                "credit_code",
                "legal_representative",
                "is_minor",
                "id_warnings",
            ),
        )
        self.aliases = Table(PartyAlias, ("id", "party_id", "name"))
        self.nodes = Table(
            Node,
            (
                "id",
                "case_id",
                "node_type_id",
                "court_id",
                "handler_id",
                "started_on",
                "due_on",
                "status",
                "completed_on",
                "completed_by_id",
                "document_ref",
                "note",
                "alerted",
            ),
        )
        self.suspensions = Table(
            Suspension, ("id", "case_id", "ground", "start", "end", "document_ref", "resume_document_ref")
        )
        self.extensions = Table(
            Extension,
            (
                "id",
                "case_id",
                "months",
                "reason",
                "status",
                "requested_by_id",
                "requested_on",
                "decided_by_id",
                "decided_on",
            ),
        )
        self.tables = (self.cases, self.parties, self.aliases, self.nodes, self.suspensions, self.extensions)

    def add(self, p: CasePlan) -> None:
        court = p.cast.court
        type_code = "执恢" if p.origin is not None else "执"
        year = p.filed_on.year
        key = (court.pk, self.case_type[type_code], year)
        self.counters[key] += 1
        seq = self.counters[key]
        p.pk, p.number = self.cases.pk(), format_case_number(year, court.code, type_code, seq)
        handler_id = p.handler.pk if p.assigned_on and p.handler else None
        closing = p.closing
        closed_on = closing[1] if closing else None
        closer_id = handler_id or p.cast.director.pk
        # resume_case files the 执恢 case as the judge who resumes it.
        creator_id = p.handler.pk if p.origin and p.handler else p.filer.pk
        susp = p.suspension
        ext = p.extension
        extra = 3 if ext and ext[1] == Extension.Status.APPROVED else 0
        # The pauses the last recompute saw: a suspension ended by closing was still open then.
        pauses: tuple[Pause, ...] = ()
        if susp is not None:
            pauses = (Pause(susp.start, susp.end if susp.resumed else None),)

        # Nodes: (kind, started, status, completed on, completed by, document).
        node_specs: list[tuple[NodeKind, date, str, date | None, int | None, str]] = []
        for nk in self.auto_kinds:
            started = p.applied_on if nk.anchor == NodeType.Anchor.APPLIED else p.filed_on
            done_on: date | None = None
            by: int | None = None
            doc = ""
            if nk.anchor == NodeType.Anchor.ASSIGNED:
                if not p.assigned_on:
                    continue  # created by the assignment (asking for asset leads, 2006 期限规定 Art 5)
                started = p.assigned_on
            if nk.completion == NodeType.Completion.ON_FILING:
                done_on, by, doc = p.filed_on, creator_id, p.number
            elif nk.completion == NodeType.Completion.ON_ASSIGNMENT:
                if p.assigned_on:
                    done_on, by, doc = p.assigned_on, p.cast.director.pk, "分案"
            elif nk.completion == NodeType.Completion.ON_CLOSING:
                if closing:
                    done_on, by, doc = closed_on, closer_id, p.closing_details()["document_ref"]
            elif nk.code in p.completions:
                done_on, by, doc = (
                    p.completions[nk.code],
                    handler_id,
                    f"{p.number}{NODE_DOCUMENTS.get(nk.code, '')}",
                )
            status: str = (
                Node.Status.DONE if done_on else Node.Status.CANCELLED if closing else Node.Status.PENDING
            )
            node_specs.append((nk, started, status, done_on, by, doc))
        if p.lead is not None:
            started, done_on = p.lead
            status = (
                Node.Status.DONE if done_on else Node.Status.CANCELLED if closing else Node.Status.PENDING
            )
            node_specs.append(
                (
                    self.lead_kind,
                    started,
                    status,
                    done_on,
                    handler_id if done_on else None,
                    f"{p.number}{NODE_DOCUMENTS['verify_lead']}" if done_on else "",
                )
            )

        term_due = next_due = None
        uncertain = False
        node_rows = []
        for nk, started, status, done_on, by, doc in node_specs:
            result = self.deadlines.due(nk, started, p.non_litigation, extra, pauses)
            due = result.due
            # Pending at the last recompute: still pending, or cancelled/closed by the closing itself.
            pending_before = status != Node.Status.DONE or nk.completion == NodeType.Completion.ON_CLOSING
            if result.missing_years and pending_before:
                uncertain = True
            if nk.completion == NodeType.Completion.ON_CLOSING:
                term_due = due
            if status == Node.Status.PENDING and due is not None and (next_due is None or due < next_due):
                next_due = due
            # Closed cases keep only their term and notice nodes (and leads) to stay near 3 nodes a case.
            if (
                closing
                and nk.completion != NodeType.Completion.ON_CLOSING
                and nk.code not in ("notice", "verify_lead")
            ):
                continue
            # complete_node replaces the note given when the lead node was added.
            note = LEAD_NOTE if nk is self.lead_kind and status != Node.Status.DONE else ""
            node_rows.append((nk.pk, started, due, status, done_on, by, doc, note))

        if closing:
            case_status = CaseStatus.DORMANT if closing[0] == ClosingMode.DORMANT else CaseStatus.CLOSED
        elif susp is not None and susp.end is None:
            case_status = CaseStatus.SUSPENDED
        else:
            case_status = CaseStatus.IN_PROGRESS if handler_id else CaseStatus.REGISTERED
        details = json.dumps(p.closing_details()) if closing else "{}"
        team_id = p.handler.team_id if handler_id and p.handler else None
        self.cases.add(
            p.pk,
            court.pk,
            self.case_type[type_code],
            year,
            seq,
            p.number,
            case_status,
            p.applied_on,
            p.filed_on,
            handler_id,
            team_id,
            p.assigned_on,
            self.instrument[p.instrument],
            p.issuing_body,
            p.basis_number,
            p.effective_on,
            p.performance_deadline,
            p.non_litigation,
            p.principal,
            p.interest,
            p.costs,
            Decimal("0.00") if p.origin else application_fee(p.claim),  # 执恢: no second fee
            Decimal("0.00"),
            term_due,
            None if closing else next_due,
            extra,
            uncertain,
            closing[0] if closing else "",
            closed_on,
            details,
            p.origin.pk if p.origin else None,
            creator_id,
            self.now,
        )
        for nt_pk, started, due, status_, done_on, by, doc, note in node_rows:
            self.nodes.add(
                self.nodes.pk(),
                p.pk,
                nt_pk,
                court.pk,
                handler_id,
                started,
                due,
                status_,
                done_on,
                by,
                doc,
                note,
                0,
            )
        for role, s in p.parties:
            party_pk = self.parties.pk()
            minor = s.birth_date is not None and is_minor(s.birth_date, p.filed_on)
            self.parties.add(
                party_pk,
                p.pk,
                role,
                s.kind,
                s.name,
                Party.IdType.RESIDENT_ID if s.kind == Party.Kind.PERSON else Party.IdType.USCC,
                s.id_number,
                s.sex,
                s.birth_date,
                s.address,
                s.phone,
                s.credit_code,
                s.legal_representative,
                minor,
                s.id_warnings,
            )
            for former in s.former_names:
                self.aliases.add(self.aliases.pk(), party_pk, former)
        if susp is not None:
            self.suspensions.add(
                self.suspensions.pk(),
                p.pk,
                susp.ground,
                susp.start,
                susp.end,
                f"{p.number}之一",
                f"{p.number}恢复执行通知书" if susp.resumed and susp.end else "",
            )
        if ext is not None:
            asked, ext_status, decided = ext
            self.extensions.add(
                self.extensions.pk(),
                p.pk,
                3,
                "案件涉及财产处置，需延长执行期限",
                ext_status,
                handler_id,
                asked,
                p.cast.president.pk if decided else None,
                decided,
            )

    def flush(self) -> dict[str, int]:
        """Write the batch in one transaction with one audit record; returns row counts."""
        first = self.cases.rows[0][0] if self.cases.rows else None
        last = self.cases.rows[-1][0] if self.cases.rows else None
        with transaction.atomic():
            counts = {t.model.__name__: t.flush() for t in self.tables}
            audit.record(
                None,
                "demo.bulk_seed",
                object_type="EnforcementCase",
                object_id=f"{first}-{last}",
                after=counts,
            )
        return counts

    def finish(self) -> None:
        """Case-number counters to the last issued number; PostgreSQL sequences past the explicit ids."""
        with transaction.atomic():
            for (court_id, type_id, year), last in self.counters.items():
                counter, _ = CaseNumberCounter.objects.get_or_create(
                    court_id=court_id, case_type_id=type_id, year=year
                )
                if counter.last < last:
                    counter.last = last
                    counter.save(update_fields=["last"])
            statements = connection.ops.sequence_reset_sql(no_style(), [t.model for t in self.tables])
            with connection.cursor() as cur:
                for sql in statements:
                    cur.execute(sql)
