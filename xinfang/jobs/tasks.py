"""Queue entry points (django-tasks). Arguments are JSON: the day as an ISO date string."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from . import services


@task()
def ensure_partitions_task(day: str) -> dict:
    return services.run_job("ensure_partitions", date.fromisoformat(day), services.ensure_partitions)


@task()
def expire_evaluations_task(day: str) -> dict:
    return services.run_job("expire_evaluations", date.fromisoformat(day), services.expire_evaluations)


@task()
def rebuild_rollups_task(day: str) -> dict:
    return services.run_job("rebuild_rollups", date.fromisoformat(day), services.rebuild_rollups)


@task()
def compute_hotspots_task(day: str) -> dict:
    return services.run_job("compute_hotspots", date.fromisoformat(day), services.compute_hotspots)


@task()
def complete_lapsed_task(day: str) -> dict:
    return services.run_job("complete_lapsed", date.fromisoformat(day), services.complete_lapsed)


@task()
def supervise_task(day: str) -> dict:
    return services.run_job("supervise", date.fromisoformat(day), services.supervise)


@task()
def purge_stale_task(day: str) -> dict:
    return services.run_job("purge_stale", date.fromisoformat(day), services.purge_stale)


@task()
def remind_evaluations_task(day: str) -> dict:
    return services.run_job("remind_evaluations", date.fromisoformat(day), services.remind_evaluations)
