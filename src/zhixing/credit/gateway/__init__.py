"""The partner screening gateway: the single check and the batch, answered in front of Django.

`POST /api/v1/screening/check` and `POST /api/v1/screening/batch` (every format: the original JSON,
JSON arrays, text/plain lines, compact JSON and CSV answers) are served here, in the platform's own
ASGI application (`zhixing.config.asgi`), on the server `make run` and the documented deployment
start. Django's request stack costs ~2.5 ms of CPU per request before a view runs and the ninja
handlers made a dozen queries per call (partner, rate-limit counter, change-log cursor, court and
case details, enumeration counters, the audit record in its own transaction); measured on the product
the single check answered 51 requests/s. The other partner endpoints (private, change feeds,
interception receipts) stay on Django (`api.py`, `api_screening.py`) with the same `PartnerAuth`.

Per call this gateway does everything those handlers did, in the same order and with the same answers
(docs/adr/0014-screening-gateway.md):

* the partner key, by its SHA-256 digest; a revoked or unknown key is refused (401);
* the partner's per-minute limit, counted in the shared store every worker counts in (429);
* a partner in privacy mode is refused the clear endpoints (403);
* the body: JSON declared as JSON (415), valid JSON (400), the schema (422 with the API's body);
* the answer from the in-memory `ScreeningIndex`, masked by what the partner kind may see, with the
  court and case details of hits reduced by `visibility.VIEWS`;
* the enumeration detector and one audit record per call.

Modules: `asgi` (the route), `engine` (what answers groups), `engine_process`, `remote` and `frames`
(the engine's own process), `answers` (check and batch answers), `batch_input` (reading a batch body),
`details` (court and case details and the answer fragments cached per subject), `wire` (a request and an
answer), `openapi` (the API document).

Under the platform's server (`zhixing.config.server`: `make run` and the deployment) the engine runs in
a process of its own, one per server, shared by every web worker (`engine_process`; the worker's side is
`remote`, the frames between them `frames`): each worker's event loop forwards the request and awaits
its answer. Elsewhere (an ASGI server started otherwise, the tests' in-process clients) it runs as a
thread of the worker's process, through the same code.

Requests are not handled one by one. The event loop reads a request and queues it; ONE engine thread
per process takes everything queued and handles it as a group: one statement reads the change log's
cursor (the index and the detail cache follow the log) and the partners of all keys, one counter update per
partner, the answers, then the audit records of the whole group in one transaction (one chain-head
lock, one INSERT). Only when that transaction has committed are the group's answers sent: an answered
call always has its audit record (group commit); a crash before the commit loses only calls that were
never answered. On PostgreSQL the commit does not wait for the disk (the chain's lock is released at
once) and the answers wait instead for one durable commit after it on the same connection, which
flushes the WAL past the group's records: in one round trip for the usual group (two when another
writer had moved the audit chain's head; `core.commit_flush`,
which says why no answered call can be lost on a crash). Court and case details are cached per
subject, cleared whenever the change log moves (every change to a subject's measures appends an event,
`services.register.refresh_subject`) and at midnight.

In tests the gateway runs inline (`ScreeningGateway.inline`): the group is one request, handled in the
caller's thread and database connection, through the same code.
"""

from .asgi import BATCH_PATH, CHECK_PATH, PATHS, ScreeningGateway
from .engine import Engine, checkpoint_wal
from .openapi import openapi
from .wire import Answer, Job

__all__ = [
    "BATCH_PATH",
    "CHECK_PATH",
    "PATHS",
    "Answer",
    "Engine",
    "Job",
    "ScreeningGateway",
    "checkpoint_wal",
    "openapi",
]
