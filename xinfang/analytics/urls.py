from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.figure_cases, name="figure_cases"),
    path("stats.xlsx", views.stats_xlsx, name="stats_xlsx"),
    path("report.docx", views.monthly_report, name="monthly_report"),
]
