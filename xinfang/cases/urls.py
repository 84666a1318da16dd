from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("register/", views.register, name="register"),
    path("register/earlier/", views.earlier_cases, name="earlier"),
    path("import/", views.ledger_import, name="ledger_import"),
    path("import/template.xlsx", views.ledger_template, name="ledger_template"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/parties/reveal/", views.reveal_parties, name="reveal_parties"),
    path("<int:case_id>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
