"""The command center's WebSocket routes (appended to the platform's by config/asgi.py)."""

from django.urls import path

from .consumers import SituationConsumer

websocket_urlpatterns = [path("ws/command/situation/<int:court_id>/", SituationConsumer.as_asgi())]
