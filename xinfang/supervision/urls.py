from django.urls import path

from . import leader_views, ledger_views, views

app_name = "supervision"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("cases/<int:case_id>/", views.case_record, name="case"),
    path("cases/<int:case_id>/letters/", views.issue_for_case, name="issue_for_case"),
    path("letters/", views.letter_list, name="letters"),
    path("letters/new/", views.new_letter, name="new_letter"),
    path("letters/<int:letter_id>/", views.letter_detail, name="letter"),
    path("letters/<int:letter_id>/docx/", views.letter_download, name="letter_docx"),
    path("letters/<int:letter_id>/feedback/", views.letter_feedback, name="letter_feedback"),
    path("letters/<int:letter_id>/decide/", views.letter_decide, name="letter_decide"),
    path("warnings/<int:warning_id>/", views.warning_detail, name="warning"),
    path("leader/", leader_views.leader_page, name="leader"),
    path("leaders/", leader_views.district_leaders, name="leaders"),
    path("receptions/", ledger_views.reception_desk, name="receptions"),
    path("backlog/", ledger_views.backlog, name="backlog"),
    path("disputes/", ledger_views.disputes, name="disputes"),
]
