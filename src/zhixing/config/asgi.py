"""ASGI entry point: Django views over HTTP, Channels consumers over WebSocket."""

import os

from django.core.asgi import get_asgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
django_asgi = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from zhixing.auctions.bid_gateway import BidGateway  # noqa: E402
from zhixing.auctions.routing import websocket_urlpatterns as auction_routes  # noqa: E402
from zhixing.command.plate_gateway import PlateGateway  # noqa: E402
from zhixing.command.routing import websocket_urlpatterns as command_websockets  # noqa: E402
from zhixing.core.body_limit import BodyLimit  # noqa: E402
from zhixing.core.heap import settle  # noqa: E402
from zhixing.core.routing import websocket_urlpatterns  # noqa: E402
from zhixing.credit.gateway import ScreeningGateway  # noqa: E402
from zhixing.funds.notice_gateway import NoticeGateway  # noqa: E402

# The custody bank's single notices skip Django's per-request ASGI overhead (funds/notice_gateway.py);
# so do partner screening's check and batch (credit/gateway/, docs/adr/0014-screening-gateway.md)
# a hot lot's bids by token (auctions/bid_gateway.py) and the parking operators' plate reads
# (command/plate_gateway.py).
# Any body past ZHIXING_MAX_REQUEST_BYTES is refused (413) before anything reads it (core/body_limit.py).
# WebSocket: the signed-in user's session (AuthMiddlewareStack), only from this site's own hosts.
screening_gateway = ScreeningGateway(BidGateway(django_asgi))
plate_gateway = PlateGateway(screening_gateway)
application = ProtocolTypeRouter(
    {
        "http": BodyLimit(NoticeGateway(plate_gateway)),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns + command_websockets + auction_routes))
        ),
    }
)

# The loaded process (the URL patterns and every view imported too) is frozen out of the cyclic
# collector's full passes, which otherwise held the event loop up to a second (core/heap.py).
get_resolver().url_patterns  # noqa: B018 - imports every view now, not on the first request
settle()
