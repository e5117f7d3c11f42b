from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:pk>/documents/", views.case_documents, name="case_documents"),
    path("cases/<int:pk>/documents/generate/", views.generate, name="case_document_generate"),
    path("documents/<int:pk>/word/", views.download, {"fmt": "docx"}, name="document_docx"),
    path("documents/<int:pk>/pdf/", views.download, {"fmt": "pdf"}, name="document_pdf"),
    path("documents/templates/", views.templates_page, name="document_templates"),
    path("documents/templates/<slug:code>/", views.template_versions, name="document_template_versions"),
    path("documents/templates/<slug:code>/upload/", views.template_upload, name="document_template_upload"),
    path(
        "documents/templates/<slug:code>/current/", views.template_current, name="document_template_current"
    ),
    path(
        "documents/templates/<slug:code>/<int:number>.docx",
        views.template_file,
        name="document_template_file",
    ),
]

# E-service (电子送达): views_service.py.
from . import views_service  # noqa: E402

urlpatterns += [
    path("cases/<int:pk>/documents/address/", views_service.confirm_address, name="case_service_address"),
    path("cases/<int:pk>/documents/serve/", views_service.serve, name="case_document_serve"),
]
