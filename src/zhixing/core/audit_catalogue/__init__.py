"""The audit catalogue: Chinese words for every audit action code, detail key and value.

Audit records carry machine codes (`inquiry.view.register`) and raw detail (`{"how": "voluntary"}`,
`[{"row": 26, "reason": ...}]`). People read words: `查看登记信息`, `履行方式：自动履行`, `第26行：…`.
This module is the one registry of those words and the one renderer of audit detail.

`core` imports no domain package (import-linter), so each app registers its own words from its
`AppConfig.ready()` by importing its `audit_words` module, which calls:

* `register_actions({"case.file": "立案", ...}, collapse=[...])` — one phrase per action code;
  codes in `collapse` are looks (page views) that the trail folds into "查看登记信息 ×12".
* `register_prefix("admin.action.", fn)` — words for a family of codes built at run time.
* `register_namespace("inquiry", "查控")` — the generic phrase for an unknown code of that family.
* `register_keys({"how": "履行方式"}, namespace="cases")` — labels of detail keys; a namespace (the
  part of the action code before the first dot, or a tuple of them) overrides the global label.
* `register_values("how", {"voluntary": "自动履行"})` or a callable — how a key's values read.
* `register_names("party", fn)` — names of ids, many at once (`Naming`: one call per page).
* `register_money_keys("amount", ...)` — values shown as `7,166.29元`.

`action_label(code)` never returns the code: an unknown one reads as a generic phrase
(`查控操作` / `系统操作`), and the catalogue test plus the runtime test guard fail on it
(see docs/audit.md).

The catalogue lives in one module per concept (registry, actions, detail, references, and the words
every app shares); this package re-exports every public name so `audit_catalogue.X` keeps working.
"""

from __future__ import annotations

from . import shared_words  # noqa: F401  (registers the words every app shares)
from .actions import (
    action_label,
    collapse_codes,
    collapsible,
    has_words,
    known_actions,
    unknown_action,
)
from .detail import (
    Field,
    describe,
    format_value,
    has_key_label,
    key_label,
    summary,
)
from .naming import Naming, names_for
from .references import (
    human_ref,
    register_ref_prefix,
)
from .registry import (
    EMPTY,
    GENERIC_ACTION,
    NONE_LIST,
    Names,
    ValueWords,
    field_words,
    register_actions,
    register_keys,
    register_money_keys,
    register_names,
    register_namespace,
    register_prefix,
    register_values,
)

__all__ = [
    "EMPTY",
    "GENERIC_ACTION",
    "NONE_LIST",
    "Field",
    "Names",
    "Naming",
    "ValueWords",
    "action_label",
    "collapse_codes",
    "collapsible",
    "describe",
    "field_words",
    "format_value",
    "has_key_label",
    "has_words",
    "human_ref",
    "key_label",
    "known_actions",
    "names_for",
    "register_actions",
    "register_keys",
    "register_money_keys",
    "register_names",
    "register_namespace",
    "register_prefix",
    "register_ref_prefix",
    "register_values",
    "summary",
    "unknown_action",
]
