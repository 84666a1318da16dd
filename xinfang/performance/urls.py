from django.urls import path

from . import views, views_edit

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
    path("years/<int:year>/basic/", views_edit.basic_data, name="basic"),
    path("years/<int:year>/evaluations/new/", views_edit.evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/indicators/new/", views_edit.indicator_new, name="indicator_new"),
    path("indicators/<int:pk>/", views_edit.indicator_edit, name="indicator"),
    path("indicators/<int:pk>/delete/", views_edit.indicator_delete, name="indicator_delete"),
    path("indicators/<int:pk>/adopt/", views_edit.indicator_adopt, name="indicator_adopt"),
    path("reports/<int:job_id>/", views.report_status, name="report_status"),
    path("reports/<int:job_id>/download.<str:fmt>", views.report_download, name="report_download"),
]
