from datetime import date, datetime, time

import pytest
from django.utils import timezone

JOB_NAMES = (
    "expire_evaluations", "rebuild_rollups", "compute_hotspots", "complete_lapsed", "supervise", "purge_stale",
    "ensure_partitions", "remind_evaluations",
)  # fmt: skip
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Tasks run inside enqueue() (django-tasks' test backend) unless a test asks for the database queue."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware datetime at a local (Asia/Shanghai) wall-clock time."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def make_pending_evaluation(served_on: date):
    """A replied case whose satisfaction evaluation is pending, its window opened on `served_on`."""
    from tests.factories import make_case, make_user
    from xinfang.orgs.models import Organisation, OrgKind
    from xinfang.orgs.roles import Role
    from xinfang.portal.services import open_evaluation

    bureau = Organisation.objects.filter(kind=OrgKind.BUREAU).first()
    registrar = make_user(Role.REGISTRAR, bureau)
    case = make_case(registered_by=registrar, received=served_on, replied_at=local(served_on, 16))
    return open_evaluation(case, served_on=served_on)


@pytest.fixture
def stub_bodies(monkeypatch):
    """Replace the job bodies by recorders: for tests about when and how often jobs run, not what they do."""
    from xinfang.jobs import services

    calls: list[tuple[str, date]] = []

    def stub(name: str):
        def body(day: date) -> dict:
            calls.append((name, day))
            return {"stub": name}

        return body

    for name in JOB_NAMES:
        monkeypatch.setattr(services, name, stub(name))
    return calls
