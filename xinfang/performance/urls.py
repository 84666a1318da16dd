from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("", views.home, name="home"),
    path("years/<int:year>/", views.year_detail, name="year"),
    path("years/<int:year>/import/<str:kind>/", views.import_view, name="import"),
    path("templates/<str:kind>.xlsx", views.import_template, name="template"),
    path("years/<int:year>/monitoring/", views.monitoring_view, name="monitoring"),
    path("evaluations/import/", views.evaluation_import, name="evaluation_import"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("evaluations/<int:pk>/export.json", views.evaluation_export, name="evaluation_export"),
    path("evaluations/<int:pk>/report/", views.report_start, name="report_start"),
    path("evaluations/<int:pk>/starter/", views.starter_indicators, name="starter"),
    path("indicators/<int:pk>/", views.indicator_edit, name="indicator"),
    path("reports/<int:job_id>/", views.report_status, name="report_status"),
    path("reports/<int:job_id>/download.<str:fmt>", views.report_download, name="report_download"),
]
