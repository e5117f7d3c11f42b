"""ASGI entry point: Django views over HTTP, Channels consumers over WebSocket."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
django_asgi = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from zhixing.funds.notice_gateway import NoticeGateway  # noqa: E402

# The custody bank's single notices skip Django's per-request ASGI overhead (funds/notice_gateway.py).
application = ProtocolTypeRouter({"http": NoticeGateway(django_asgi)})
