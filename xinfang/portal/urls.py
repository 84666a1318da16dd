from django.urls import path

from . import staff, views

app_name = "portal"
public_patterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("suggest/", views.submit, {"suggestion": True}, name="suggest"),
    path("track/", views.track, name="track"),
    path("track/evaluate/", views.evaluate, name="evaluate"),
    path("track/review/", views.review, name="review"),
    path("receptions/", views.receptions, name="receptions"),
    path("receptions/<int:slot_id>/", views.book_reception, name="book_reception"),
]
staff_patterns = [
    path("staff/cases/<int:case_id>/evaluation/", staff.record_phone_evaluation, name="phone_evaluation"),
    path(
        "staff/evaluations/<int:evaluation_id>/exemption/", staff.request_exemption, name="request_exemption"
    ),
    path("staff/exemptions/", staff.exemption_list, name="exemptions"),
    path("staff/exemptions/<int:exemption_id>/decide/", staff.decide_exemption, name="decide_exemption"),
]
urlpatterns = public_patterns + staff_patterns
