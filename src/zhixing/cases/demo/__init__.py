"""The demo data behind ``manage.py seed_demo``: a province with staff and enforcement cases in every state.

Builds 广东省高级人民法院, two intermediate and four basic courts, three teams per basic court and staff in
every role with predictable logins (``th_judge1``, ``th_clerk``, ``gz_director``, ``gd_president``, ``admin``;
password ``zhixing2026``) — exactly the accounts of ``zhixing.courts.demo_roster``, which the login page and
``make run`` list too; names come from ``zhixing.courts.demo_names`` (realistic, never glued) — then files
cases spread over 2024-01 to today: registered, in progress,
suspended, extended, dormant (终本), closed in each of the six closing modes, resumed 执恢 cases linked to
their origin, overdue nodes, non-litigation cases, persons (valid resident ID numbers, former names, a few
minors) and organisations (valid unified social credit codes).

Two paths share one *plan* per case (what happens to it and when):

* below ``BULK_THRESHOLD`` cases every step runs through the real services (``file_case``,
  ``assign_case``, ``complete_node``, ``suspend_case``, ``request_extension``, ``close_case``,
  ``resume_case``, ...), each with "today" set to the day the step happens, so every rule and audit
  record is exercised. Only the business date is moved (``timezone.localdate``); audit timestamps stay
  real.
* from ``BULK_THRESHOLD`` cases (the 1 M-case benchmark) rows are written directly in batches of 5,000,
  one transaction and one ``demo.bulk_seed`` audit record per batch. Due dates come from the same pure
  ``rules.compute_deadline`` on ``current_calendar()`` (cached per start date and node type), and
  ``term_due``/``next_due_on``/``calendar_uncertain`` follow ``services.deadlines``. Closed cases keep only
  their term and notice nodes (≈3 node rows per case on average). Rows go in through ``executemany`` on
  SQLite and ``COPY`` on PostgreSQL: ``bulk_create`` is capped at 999 parameters per statement on SQLite
  (28 case rows) and loads ~10,000 cases/s, too slow for 1 M cases in 10 minutes.

For the same ``--seed`` on the same day both paths store the same rows (apart from ids, audit records
and the node rows the bulk path leaves out): keep them in step when a service changes what it writes
(``--bulk`` forces the bulk path at any size, for that comparison).

Modules, in the order a run uses them: ``province`` (courts, teams, staff), ``people`` (parties and their
identity numbers), ``plan`` (one case's plan, the deadline cache), ``planner`` (each case's story),
``replay`` (path 1, the services), ``tables`` and ``writer`` (path 2, bulk rows), ``seeder`` (a run).
"""

from .seeder import BULK_THRESHOLD, Seeder

__all__ = ["BULK_THRESHOLD", "Seeder"]
