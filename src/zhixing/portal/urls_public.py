"""The public portal (no login) under /public/, next to credit's /public/blacklist/ and /public/exposure/."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("public/", views_public.index, name="public_portal"),
    path("public/progress/", views_public.progress, name="public_progress"),
    path("public/rulings/", views_public.rulings, name="public_rulings"),
    path("public/rulings/<int:pk>/", views_public.ruling, name="public_ruling"),
    path("public/rewards/", views_public.rewards, name="public_rewards"),
    path("public/tips/", views_public.tip_form, name="public_tip"),
    path("public/petitions/", views_public.petition_form, name="public_petition"),
]
