"""Upload → proposed layout → preview → confirm: a statement import the user checks before it is stored.

`start` holds the upload (`staging`, signed token) and proposes a layout; `review` re-reads the held
file with the layout the user picked and the fields they edited; `confirm` imports it. Nothing is
written before `confirm`: then, if the layout had to be changed to read the file (the detector's
adjustments or the user's edits), the changed layout is first saved as a copy of the court's own
(`copy_preset`, audited) and the import uses the copy, so the import always names the layout it
was read with; the held file is released.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from .. import detection, preview, queries, readers, staging
from ..models import ImportJob, StatementPreset
from ..parsing import FileRefused
from .imports import IMPORT_REFUSED, create_import, statement_max_rows
from .layout_copies import copy_preset
from .layouts import FIELDS, check_fields

REFUSED = "流水文件无法导入："
# Fields the preview lets the user change; who owns the layout and what it is called are not here.
EDITABLE = [f for f in FIELDS if f not in ("name", "code", "shared", "institution")]


@dataclass
class Draft:
    """What the preview page and the API show for a held upload."""

    token: str
    file_name: str
    proposals: list[detection.Proposal]
    preset: StatementPreset | None
    changes: dict[str, Any] = field(default_factory=dict)
    result: preview.Preview | None = None
    layout: Any = None

    @property
    def chosen(self) -> detection.Proposal | None:
        return next((p for p in self.proposals if self.preset and p.preset.pk == self.preset.pk), None)

    @property
    def score(self) -> int | None:
        return self.chosen.score if self.chosen else None

    @property
    def header(self) -> list[str]:
        """The file's header names as read (or, when the layout cannot read it, as detected)."""
        if self.result is not None and self.result.header:
            return self.result.header
        return self.chosen.header if self.chosen else []

    @property
    def labelled_changes(self) -> list[tuple[str, str]]:
        """(field label, value) of each change from the stored layout, for the page."""
        return _labelled(self.changes)

    @property
    def suggestions(self) -> dict[str, Any]:
        """The chosen layout's suggested values (`detection.Proposal.suggestions`) not yet in the changes."""
        chosen = self.chosen
        if chosen is None:
            return {}
        return {k: v for k, v in chosen.suggestions.items() if k in EDITABLE and self.changes.get(k) != v}

    @property
    def labelled_suggestions(self) -> list[tuple[str, str]]:
        return _labelled(self.suggestions)


def _labelled(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(field label, the value as the page shows it) of each layout field in `values`: a quoted value, a
    choice by its words, and an emptied column as not read."""
    out = []
    for k, v in values.items():
        if k not in FIELDS:
            continue
        f = FIELDS[k]
        if v == "" and k.endswith("_column"):
            shown = "（文件中没有，不读取）"
        elif f.choices:
            shown = f"“{dict(f.flatchoices).get(v, v)}”"
        elif isinstance(v, bool):
            shown = "“是”" if v else "“否”"
        else:
            shown = f"“{v}”"
        out.append((str(f.verbose_name), shown))
    return out


def _check(user: Any, ref: queries.DebtorRef) -> None:
    if not queries.allowed(user, ref, Cap.ANALYTICS_IMPORT):
        raise NotPermitted(IMPORT_REFUSED)


def clean_edits(preset: StatementPreset, edits: dict[str, Any]) -> dict[str, Any]:
    """The user's field values that differ from the stored layout, converted to the field's type."""
    out: dict[str, Any] = {}
    for name, raw in edits.items():
        if name not in EDITABLE:
            continue
        model_field = FIELDS[name]
        if isinstance(raw, str) and (raw.strip() or name != "delimiter"):
            raw = raw.strip()  # but a tab is a delimiter, not blank
        try:
            value = model_field.to_python(raw if raw not in (None, "") else model_field.get_default())
        except Exception:
            raise ServiceError(f"{model_field.verbose_name}的取值无效：{raw!r}", field=name) from None
        if value != getattr(preset, name):
            out[name] = value
    # Each field as a saved layout's must be: a pattern that compiles, one delimiter, a text encoding.
    check_fields(preview.adapted(preset, out))
    return out


def start(user: Any, ref: queries.DebtorRef, *, data: bytes, file_name: str, today: date) -> Draft:
    """Hold the upload and preview it with the best proposed layout (or none if nothing fits)."""
    _check(user, ref)
    if not data:
        raise ServiceError("文件为空", field="file")
    try:
        readers.check_utf16(data)  # detection finds no header in such bytes: nothing would say why
    except FileRefused as exc:
        raise ServiceError(f"{REFUSED}{exc}", field="file") from None
    token = staging.hold(data, user_id=user.pk, party_id=ref.party.pk, file_name=file_name)
    try:
        return review(user, ref, token=token, today=today)
    except ServiceError:
        staging.release(token)  # a file no layout reads is not kept
        raise


def review(
    user: Any,
    ref: queries.DebtorRef,
    *,
    token: str,
    today: date,
    preset: StatementPreset | None = None,
    edits: dict[str, Any] | None = None,
    suggested: bool = False,
) -> Draft:
    """Preview the held file with `preset` (default: the best proposal whose header was found) and `edits`.

    Without `edits` the detector's adjustments for that layout apply, and with `suggested` its
    suggestions too (the file's columns for the ones the layout lacks: the user asked for them); with
    `edits`, the edits are the complete set of changed fields (the page posts every field it shows).
    """
    _check(user, ref)
    data, name = staging.fetch(token, user_id=user.pk, party_id=ref.party.pk)
    proposals = detection.propose(data, queries.presets(user))
    if preset is not None and queries.preset(user, preset.pk) is None:
        raise ServiceError("版式预设不存在", field="preset")
    if preset is None and proposals and proposals[0].header_row:
        # The best layout, even one lacking a column: its preview names what to fix.
        preset = proposals[0].preset
    draft = Draft(token=token, file_name=name, proposals=proposals, preset=preset)
    if preset is None:
        return draft
    if edits is None:
        chosen = next((p for p in proposals if p.preset.pk == preset.pk), None)
        draft.changes = dict(chosen.adjustments) if chosen else {}
        if chosen is not None and suggested:
            draft.changes.update({k: v for k, v in chosen.suggestions.items() if k in EDITABLE})
    else:
        draft.changes = clean_edits(preset, edits)
    draft.layout = preview.adapted(preset, draft.changes)
    draft.result = preview.build(
        data, draft.layout, today=today, convert=queries.rate_table().convert, max_rows=statement_max_rows()
    )
    if draft.result.refused:  # too long, too wide, broken: no other layout or edit would read it
        raise ServiceError(f"{REFUSED}{draft.result.file_error}", field="file")
    return draft


def confirm(
    user: Any,
    ref: queries.DebtorRef,
    *,
    token: str,
    preset: StatementPreset | None,
    today: date,
    edits: dict[str, Any] | None = None,
    mode: str = ImportJob.Mode.STRICT,
    copy_name: str = "",
) -> ImportJob:
    """Import the held file with the previewed layout (saving a changed layout as the court's copy)."""
    if preset is None:
        raise ServiceError("请选择版式预设", field="preset")
    draft = review(user, ref, token=token, today=today, preset=preset, edits=edits)
    assert draft.result is not None
    if draft.result.file_error:
        raise ServiceError(f"文件无法按“{preset.name}”读取：{draft.result.file_error}", field="file")
    if draft.changes and not user.can(Cap.ANALYTICS_PRESET):
        raise NotPermitted("调整后的版式需另存为本院版式，您的岗位不能维护版式预设")
    # One confirm per held upload: two confirms sent together (a double click, two tabs) would otherwise
    # both import it. The claim is an atomic rename; the loser is told the preview has expired.
    held = staging.claim(token, user_id=user.pk, party_id=ref.party.pk)
    try:
        with transaction.atomic():
            layout = preset
            if draft.changes:
                layout = copy_preset(user, preset, changes=draft.changes, name=copy_name)
            job = create_import(
                user,
                ref,
                kind=ImportJob.Kind.STATEMENT,
                file_name=held.name,
                data=held.data,
                preset=layout,
                mode=mode,
            )
            transaction.on_commit(held.done)
    except BaseException:
        held.undo()  # the import did not happen: the preview can be confirmed again
        raise
    return job
