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
