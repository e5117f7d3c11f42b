from django.urls import path

from . import views, views_leads, views_preview, views_rates, views_rows

app_name = "analytics"

urlpatterns = [
    path("analytics/", views.index, name="index"),
    path("analytics/case/<int:case_id>/debtor/<int:party_id>/", views.debtor_page, name="debtor"),
    path("analytics/case/<int:case_id>/debtor/<int:party_id>/import/", views.upload, name="upload"),
    path("analytics/case/<int:case_id>/debtor/<int:party_id>/related/", views.add_related, name="related"),
    path("analytics/case/<int:case_id>/debtor/<int:party_id>/profile/", views.compute, name="compute"),
    path(
        "analytics/case/<int:case_id>/debtor/<int:party_id>/preview/upload/",
        views_preview.upload,
        name="preview_upload",
    ),
    path(
        "analytics/case/<int:case_id>/debtor/<int:party_id>/preview/",
        views_preview.preview_page,
        name="preview",
    ),
    path(
        "analytics/case/<int:case_id>/debtor/<int:party_id>/preview/confirm/",
        views_preview.confirm,
        name="preview_confirm",
    ),
    path("analytics/case/<int:case_id>/debtor/<int:party_id>/rows/", views_rows.rows_page, name="rows"),
    path("analytics/rows/<int:tx_id>/correct/", views_rows.correct_row, name="row_correct"),
    path("analytics/jobs/<int:job_id>/", views.job_progress, name="job"),
    path("analytics/profiles/<int:profile_id>/", views.profile, name="profile"),
    path("analytics/profiles/<int:profile_id>/evidence/<slug:rule>/", views.evidence, name="evidence"),
    path("analytics/profiles/<int:profile_id>/print/", views.report_print, name="report_print"),
    path("analytics/profiles/<int:profile_id>/evidence.csv", views.bundle, name="bundle"),
    path("analytics/leads/<int:lead_id>/follow/", views_leads.follow, name="lead_follow"),
    path("analytics/leads/<int:lead_id>/field/", views_leads.field_result, name="lead_field"),
    path("analytics/presets/", views.presets, name="presets"),
    path("analytics/presets/<int:preset_id>/", views.presets, name="preset_edit"),
    path("analytics/presets/<int:preset_id>/delete/", views.preset_delete, name="preset_delete"),
    path("analytics/presets/<int:preset_id>/copy/", views_preview.copy_preset, name="preset_copy"),
    path("analytics/rates/", views_rates.rates, name="rates"),
    path("analytics/batch/", views.start_batch, name="batch_start"),
    path("analytics/batch/<int:batch_id>/", views.batch_progress, name="batch"),
]
