"""Sign-in and sign-out: Django's views, with `next` held to same-site paths like every other form."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhixing.core.nexturl import safe_next

from . import demo_roster, login_throttle


class SignInView(auth_views.LoginView):
    """The login page; after signing in, `next` is followed only when it is a path on this site."""

    template_name = "courts/login.html"
    redirect_authenticated_user = True

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        return safe_next(self.request, "")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Refused (429) while this address is past its failed sign-ins (`login_throttle`)."""
        if login_throttle.refused(request):
            return render(request, "core/locked_out.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        login_throttle.count_failure(self.request)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if settings.DEBUG or getattr(settings, "ZHIXING_DEMO", False):
            context["demo_accounts"] = demo_roster.by_court()  # every demo login, by court
        return context


class SignOutView(auth_views.LogoutView):
    """Sign out; a `next` is followed only when it is a path on this site (else LOGOUT_REDIRECT_URL)."""

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        return safe_next(self.request, "")
