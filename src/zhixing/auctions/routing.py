"""WebSocket routes of the auctions domain (mounted by config/asgi.py)."""

from django.urls import path

from .consumers import LotConsumer

websocket_urlpatterns = [path("ws/auctions/<int:lot_id>/", LotConsumer.as_asgi())]
