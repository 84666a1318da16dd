from django.urls import path

from . import views

app_name = "workflow"
urlpatterns = [
    path("<int:case_id>/workflow/", views.panel, name="panel"),
    path("<int:case_id>/workflow/<slug:code>/", views.act, name="act"),
    path("<int:case_id>/documents/<int:doc_id>/", views.document, name="document"),
]
