"""Reads on a real PostgreSQL streaming replica, writes and read-your-writes on the primary.

`.ci/run` starts the replica (`.ci/replica.sh`: pg_basebackup + a second cluster on port 5433) and sets
XINFANG_TEST_REPLICA_URL. The scenario runs in its own process (replica_scenario.py) against a fresh
database, with the production settings, router and middleware. Replay is paused on the replica mid-way,
so a read that reached it is visibly stale: that is how the scenario tells which server answered.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
REPLICA_URL = os.environ.get("XINFANG_TEST_REPLICA_URL", "")
DB_NAME = "xinfang_replica_test"


@pytest.fixture
def fresh_database():
    if connection.vendor != "postgresql" or not REPLICA_URL:
        if os.environ.get("XINFANG_REQUIRE_REPLICA") == "1" and connection.vendor == "postgresql":
            pytest.fail("XINFANG_REQUIRE_REPLICA=1 但没有设置 XINFANG_TEST_REPLICA_URL")
        pytest.skip("需要 PostgreSQL 流复制备库（.ci/replica.sh 启动，XINFANG_TEST_REPLICA_URL 指向它）")
    primary = dj_database_url.parse(os.environ["DATABASE_URL"])
    admin = dict(
        host=primary["HOST"], port=primary["PORT"] or 5432, user=primary["USER"], password=primary["PASSWORD"]
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    try:
        yield (
            f"postgres://{admin['user']}:{admin['password']}@{admin['host']}:{admin['port']}/{DB_NAME}",
            REPLICA_URL.rsplit("/", 1)[0] + f"/{DB_NAME}",
        )
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


@pytest.mark.slow
def test_lists_read_from_the_replica_and_a_writer_reads_its_own_writes(fresh_database, tmp_path):
    primary_url, replica_url = fresh_database
    env = {k: v for k, v in os.environ.items() if not k.startswith("XINFANG_")}
    env.update(DATABASE_URL=primary_url, DATABASE_REPLICA_URLS=replica_url, XINFANG_VAR_DIR=str(tmp_path))
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    run = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("replica_scenario.py"))],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["list_status"] == 200 and seen["list_shows_first"]
    assert seen["list_read_on_replica"]  # the list's case query ran on the replica
    assert seen["stale_list_lacks_second"]  # replay paused: the list answered from the replica
    assert seen["post_status"] in (200, 302) and seen["post_sets_pin_cookie"]
    assert seen["own_write_visible"]  # read-your-writes: the writer's next page came from the primary
    assert seen["other_browser_status"] == 404  # another browser still reads the lagging replica
