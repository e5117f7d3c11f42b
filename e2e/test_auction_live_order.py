"""Issue 18: the lot page keeps the bid history in sequence order and never rolls the price back, whatever
order the live frames arrive in.

With two web workers, a watcher's worker frames the bids it committed itself at once and the other
worker's after they come through Redis, so a later bid can reach the page before an earlier one; a poll
answer (while the socket is down) can also be older than the frame before it. The WebSocket is routed
by Playwright to a script that sends such frames, so the order is exact.
"""

from __future__ import annotations

import json
from typing import Any

from .test_auction_flow import world  # noqa: F401 - the published lot bidding now

NOW = "2026-04-10T01:57:00+00:00"


def _frame(bids: int, price: str, recent: list[int]) -> str:
    return json.dumps(
        {
            "price": price,
            "bids": bids,
            "ends_at": "2026-04-10T02:00:00+00:00",
            "watchers": 3,
            "server_now": NOW,
            "recent": [
                {"seq": s, "code": f"A{s:03d}", "amount": f"{1000000 + s * 1000}.00", "at": NOW}
                for s in recent
            ],
        },
        ensure_ascii=False,
    )


def _history(page: Any) -> list[str]:
    return page.locator("#history tr td:first-child").all_inner_texts()


def test_out_of_order_frames_keep_the_history_by_sequence_and_the_price_forward(
    browser: Any,
    live_server: Any,
    world: dict[str, Any],  # noqa: F811
) -> None:
    sockets: list[Any] = []
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.route_web_socket("**/ws/auctions/**", lambda ws: sockets.append(ws))  # no server behind it
    page.goto(f"/auctions/{world['lot'].pk}/")
    page.wait_for_function("() => true")
    page.wait_for_timeout(200)
    assert sockets, "the page opened its live socket"
    ws = sockets[-1]
    ws.send(_frame(1, "1001000.00", [1]))
    page.wait_for_function("() => document.getElementById('bid-count').textContent === '1'")
    # bid 3 (this worker's own) arrives before bid 2 (the other worker's, through Redis)
    ws.send(_frame(3, "1003000.00", [3]))
    page.wait_for_function("() => document.getElementById('bid-count').textContent === '3'")
    ws.send(_frame(2, "1002000.00", [2]))
    page.wait_for_function("() => document.querySelectorAll('#history tr').length === 3")
    assert _history(page) == ["3", "2", "1"]
    # the overtaken frame placed its bid but left the newer state on the page
    assert page.locator("#price").inner_text() == "1003000.00"
    assert page.locator("#bid-count").inner_text() == "3"
    # a frame repeating a bid adds no row; a newer one moves everything forward
    ws.send(_frame(5, "1005000.00", [2, 5, 4]))
    page.wait_for_function("() => document.querySelectorAll('#history tr').length === 5")
    assert _history(page) == ["5", "4", "3", "2", "1"]
    assert page.locator("#price").inner_text() == "1005000.00"
    context.close()
