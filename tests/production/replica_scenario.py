"""Run in a separate process by test_replica.py, with DATABASE_URL on the primary and DATABASE_REPLICA_URLS
on the streaming replica, so the settings, the router and the middleware are the production ones.
Prints one JSON object of observations; the test asserts on them."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")

import django

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.factories import make_case, make_district, make_user  # noqa: E402
from xinfang.core.replicas import PIN_COOKIE  # noqa: E402
from xinfang.orgs.roles import Role  # noqa: E402

replica = connections["replica1"]


def replay(what: str) -> None:
    with replica.cursor() as cur:
        cur.execute(f"SELECT pg_wal_replay_{what}()")


def caught_up() -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT pg_current_wal_lsn()")
        target = cur.fetchone()[0]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with replica.cursor() as cur:
            cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cur.fetchone()[0]:
                return
        time.sleep(0.1)
    raise SystemExit("备库 30 秒内未追上主库")


out: dict = {}
district = make_district()
registrar = make_user(Role.REGISTRAR, district.bureau)
first = make_case(registered_by=registrar, received=date(2026, 3, 2), title="复制测试一号件")
caught_up()
client = Client()
client.force_login(registrar)
try:
    with CaptureQueriesContext(replica) as on_replica:
        page = client.get("/cases/")
    out["list_status"] = page.status_code
    out["list_shows_first"] = first.number in page.content.decode()
    out["list_read_on_replica"] = any("cases_case" in q["sql"] for q in on_replica.captured_queries)

    replay("pause")
    second = make_case(registered_by=registrar, received=date(2026, 3, 3), title="复制测试二号件")
    out["stale_list_lacks_second"] = second.number not in client.get("/cases/").content.decode()

    posted = client.post(
        f"/cases/{second.pk}/workflow/forward/",
        {"forward-version": second.version, "forward-unit": district.units[0].pk, "forward-on": "2026-03-03"},
    )
    out["post_status"] = posted.status_code
    out["post_sets_pin_cookie"] = PIN_COOKIE in posted.cookies
    detail = client.get(f"/cases/{second.pk}/")
    out["own_write_visible"] = detail.status_code == 200 and "已转送" in detail.content.decode()

    other = Client()
    other.force_login(registrar)
    out["other_browser_status"] = other.get(f"/cases/{second.pk}/").status_code
finally:
    replay("resume")
print(json.dumps(out))
