from django.urls import path

from . import views

app_name = "calendar"
urlpatterns = [
    path("", views.home, name="home"),
    path("years/<int:year>/mark/", views.mark_year, name="mark_year"),
]
