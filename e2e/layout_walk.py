"""The walk of `test_layout.py`: which paths each role opens, and the probe of each page at both widths.

A route is probed as a page once for the whole walk, not once per role: the layout of a route's page is
its template's, and a role that opens it after another adds a second probe of the same layout. So each
role opens its own home (always: the screenshots, and the role's own menu and worklist), then only the
routes no role has shown as a page yet, filled from the links any role saw so far (a link a judge sees to
a page only finance may open is tried by finance) and from the sampled paths (each probed once as a
page). An error page (403, 404) is probed once per status and template. A 5xx on any visit is reported.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from e2e.layout_probe import PROBE_JS, SETTLED_JS

HEIGHTS = {390: 844, 1366: 768}
SETTLE_SECONDS = 5.0  # a panel still loading after this long is probed as it stands
LINKS_JS = "els => els.map(e => e.getAttribute('href'))"
TRIES = 3  # links of one route a role follows before giving up on it


class Renders:
    """Template names rendered by the live server's threads (the browser's visits), in order."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.order: list[str] = []
        self.main = threading.get_ident()

    def __call__(self, sender: Any, template: Any, context: Any, **kw: Any) -> None:
        if threading.get_ident() != self.main and template.name:
            self.names.add(template.name)
            self.order.append(template.name)


@dataclass
class Walk:
    """What the walk has done so far, over all roles."""

    route_of: Callable[[str], str | None]
    sampled: list[str]
    artifacts: Path
    renders: Renders
    shown: set[str] = field(default_factory=set)  # routes probed as a 200 page
    sampled_done: set[str] = field(default_factory=set)  # sampled paths probed as a page (any status)
    error_pages: set[tuple[int, str]] = field(default_factory=set)  # (status, template) probed
    linked: dict[str, list[str]] = field(default_factory=dict)  # route -> paths linked to it, in order seen
    problems: list[str] = field(default_factory=list)
    visits: int = 0  # pages probed (each at both widths)
    opened: int = 0  # navigations, probed or not
    settle_timeouts: int = 0
    reloads: int = 0

    def role(self, page: Any, role: str, home: str, routes: list[str], param: re.Pattern[str]) -> Any:
        """Walk as one role from `page` (signed in as the role, or the public); returns the page."""
        queue = ["/" + home]
        queue += ["/" + r for r in routes if not param.search(r) and r not in self.shown]
        queue += [p for p in self.sampled if p not in self.sampled_done]
        for linked_route, paths in self.linked.items():
            if linked_route not in self.shown:
                queue += paths[:TRIES]
        tries: dict[str, int] = {}
        done_paths: set[str] = set()
        while queue:
            url = queue.pop(0)
            path = urlsplit(url).path
            route = self.route_of(path)
            is_home = url == "/" + home
            if route is None or url in done_paths:
                continue
            if url in self.sampled:
                if url in self.sampled_done:
                    continue
            elif not is_home and (route in self.shown or tries.get(route, 0) >= TRIES):
                continue
            tries[route] = tries.get(route, 0) + 1
            done_paths.add(url)
            page = self._visit(page, url, path, route, role, is_home, queue)
        return page

    def _visit(
        self, page: Any, url: str, path: str, route: str, role: str, is_home: bool, queue: list[str]
    ) -> Any:
        mark = len(self.renders.order)
        resp, page = self._goto(page, url, role)
        self.opened += 1
        if resp is None:
            return page
        status = resp.status
        if status >= 500:
            self.problems.append(f"{url} [{role}] HTTP {status}")
            return page
        ctype = resp.headers.get("content-type", "") or ""
        if "text/html" not in ctype or urlsplit(page.url).path != path or status == 405:
            return page  # redirected (sign-in, elsewhere), not HTML, or a POST-only route
        if status != 200:
            # The same error page (status and template) is probed once; its menu is the home's.
            key = (status, next(iter(self.renders.order[mark:]), ""))
            if key in self.error_pages and url not in self.sampled:
                return page
            self.error_pages.add(key)
        else:
            self.shown.add(route)
        if url in self.sampled and (status == 200 or role == "anonymous"):
            # A sampled object a signed-in role may not open (another court's, another post's: 403 or
            # 404) is tried by the next role. The public's visits come first: a sampled public error page
            # (an expired link, a withdrawn ruling) is probed once, by them.
            self.sampled_done.add(url)
        self.visits += 1
        first = page.viewport_size["width"]
        for w in (first, 1366 if first == 390 else 390):
            if w != first:
                page.set_viewport_size({"width": w, "height": HEIGHTS[w]})
            res = self._probe(page)
            if w != first and (res["overflow"] or res["wraps"]):
                # Resized, not loaded, at this width: what scripts sized at load (charts) may lag.
                # Judge the page as it loads at this width.
                self.reloads += 1
                page.reload(wait_until="load")
                res = self._probe(page)
            self._record(res, f"{url} [{role} @{w}px]")
            if is_home and status == 200:
                page.screenshot(path=str(self.artifacts / f"home-{role}-{w}.png"), full_page=True)
        if status == 200:
            for href in page.eval_on_selector_all("a[href]", LINKS_JS):
                if href and href.startswith("/"):
                    parts = urlsplit(href)
                    r = self.route_of(parts.path)
                    if r and r not in self.shown:
                        link = parts.path + (f"?{parts.query}" if parts.query else "")
                        seen = self.linked.setdefault(r, [])
                        if link not in seen:
                            seen.append(link)
                        queue.append(link)
        return page

    def _goto(self, page: Any, path: str, role: str) -> tuple[Any, Any]:
        """Open a path: (response or None, the page to go on with).

        None for a download, an empty error answer (a POST-only route) or a failure; after any of those
        the tab is replaced, since Chromium may still be navigating it to its own error page.
        """
        for attempt in (1, 2):
            try:
                return page.goto(path, wait_until="load"), page
            except Exception as exc:
                msg = str(exc)
                context = page.context
                page.close()
                page = context.new_page()
                if "Download" in msg or "ERR_HTTP_RESPONSE_CODE_FAILURE" in msg:
                    return None, page
                if attempt == 2:
                    self.problems.append(f"{path} [{role}] navigation failed: {msg[:160]}")
        return None, page

    def _probe(self, page: Any) -> dict[str, Any]:
        """Wait (a while) for htmx to have no request in flight, then probe.

        Polled from here, not with `wait_for_function`: Playwright's in-page polling evaluates a string,
        which the pages' CSP (no unsafe-eval) refuses, so a page with a panel still loading at the first
        look used to wait out the whole timeout.
        """
        deadline = time.monotonic() + SETTLE_SECONDS
        with contextlib.suppress(Exception):  # a page that navigates itself is probed as it stands
            while not page.evaluate(SETTLED_JS):
                if time.monotonic() > deadline:
                    self.settle_timeouts += 1
                    break
                page.wait_for_timeout(50)
        return dict(page.evaluate(PROBE_JS))

    def _record(self, res: dict[str, Any], where: str) -> None:
        if res["scroll"] > res["inner"] + 1:
            parts = "; ".join(f"{o['sel']} (right {o['right']}px) «{o['text']}»" for o in res["overflow"])
            self.problems.append(f"{where} page is {res['scroll']}px wide (window {res['inner']}px): {parts}")
        for wr in res["wraps"]:
            where_what = f"{where} text wrapped one character per line: {wr['sel']}"
            self.problems.append(f"{where_what} «{wr['text']}» ({wr['lines']} lines)")
