from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "xinfang.calendar"
    label = "xf_calendar"
    verbose_name = "节假日与工作日"
