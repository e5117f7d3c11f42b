"""The party portal's routes (under /party/) and the staff page of the parties' messages."""

from django.urls import path

from . import views_party as v

urlpatterns = [
    path("party/", v.home, name="party_home"),
    path("party/login/", v.login, name="party_login"),
    path("party/logout/", v.logout, name="party_logout"),
    path("party/cases/<int:pk>/", v.case, name="party_case"),
    path("party/cases/<int:pk>/messages/", v.message, name="party_message"),
    path("party/cases/<int:pk>/resume/", v.resume, name="party_resume"),
    path("party/cases/<int:pk>/documents/<int:delivery>/", v.document, name="party_document"),
    path("party/d/<str:token>/", v.document_link, name="party_document_link"),
    path("disclosure/cases/<int:pk>/party-messages/", v.staff_messages, name="party_messages_staff"),
]
