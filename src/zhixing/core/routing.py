"""WebSocket routes of the platform (mounted by config/asgi.py)."""

from django.urls import path

from .consumers import NotificationConsumer

websocket_urlpatterns = [path("ws/notifications/", NotificationConsumer.as_asgi())]
