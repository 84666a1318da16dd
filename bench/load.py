"""Load test: the production server (gunicorn) under concurrent staff users doing a realistic mix.

    DATABASE_URL=postgres://... python bench/load.py [--users 100] [--seconds 120] [--workers N]
                                                     [--port 8123] [--no-server]

Starts the server the way `make serve` does (collectstatic with the hashed manifest, then gunicorn with
gunicorn.conf.py, 2·cores+1 workers, persistent database connections; access log to var/load-access.log,
server errors to var/load-server.log) unless --no-server (a server already listening on --port and using the
same database). Each virtual user is a thread with its own http.client connection to 127.0.0.1 (gunicorn's
sync workers close it after each response; it is reopened) and its own demo login: half are registrars
(registrar, registrar2), half handlers spread over up to eight units. Before the clock starts each logs in
through the login form (cookies and CSRF token like a browser) and gets an API token issued in-process.
With no think time (--think 0, the default: the server saturated) a user picks, by weight:

    registrar: list 35, search 15, detail 15, register (POST /api/cases/) 20, forward 15
    handler:   list 45, search 25, detail 25, accept or start handling 5

which adds up to list 40 %, search 20 %, detail 20 %, register 10 %, transitions 10 %. Lists carry a filter
(status, channel, overdue, unit + channel, to-do); searches a case number, a petitioner's name or a keyword;
details open cases the user may see. Transitions walk the cases registered during the run: registrars forward
them to the handlers' units, handlers accept and then start handling them. Users pick among the oldest few
cases waiting, so two of them sometimes race: the loser's 409 is counted as a conflict (optimistic
concurrency doing its job), it re-reads the actions and retries once; that read is timed as `actions`, the
POST as `transition`. A 5xx, a connection error or any other unexpected status is an error. At the end every transition the client saw succeed is looked up in the
database: each case's timeline must hold exactly those events and its version must be the registered version
plus their number, or it counts as a lost update. Exits non-zero on any error or lost update. Besides the
client's latencies (which include queueing for a worker) it prints the server's own time per request, read
from the access log.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import date, timedelta
from itertools import count
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from xinfang.api.auth import issue_token  # noqa: E402
from xinfang.cases.models import Case, CaseEvent, Category, Petitioner  # noqa: E402
from xinfang.cases.permissions import visible_cases  # noqa: E402
from xinfang.core import clock  # noqa: E402
from xinfang.demo.district import DEMO_PASSWORD  # noqa: E402
from xinfang.orgs.models import ApiToken, User  # noqa: E402
from xinfang.orgs.roles import Role  # noqa: E402

MIX = {
    "registrar": {"list": 35, "search": 15, "detail": 15, "register": 20, "transition": 15},
    "handler": {"list": 45, "search": 25, "detail": 25, "transition": 5},
}
KINDS = ("list", "search", "detail", "register", "transition", "actions")
KEYWORDS = ["拖欠工资", "物业", "噪声", "拆迁", "医保", "学位", "违建", "社保"]
FLOW = {"forward": "accept", "accept": "start_handling"}  # the next step after each transition
TOKEN_NAME = "bench/load.py"


class Shared:
    """What the threads share: latencies, counters, the cases waiting for each step, the writes seen."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        self.failures: list[str] = []
        self.waiting: dict[tuple, list[int]] = defaultdict(list)  # (code, unit or None) -> case ids
        self.written: dict[int, dict] = {}  # case id -> {"version": at registration, "events": [ids]}
        self.ids = count(random.randrange(10**6))

    def add(self, key: tuple, case_id: int) -> None:
        with self.lock:
            self.waiting[key].append(case_id)

    def pick(self, key: tuple) -> int | None:
        with self.lock:  # among the oldest five: users working the same queue sometimes race
            queue = self.waiting[key]
            return random.choice(queue[:5]) if queue else None

    def drop(self, key: tuple, case_id: int) -> None:
        with self.lock:
            if case_id in self.waiting[key]:
                self.waiting[key].remove(case_id)


def id_number(n: int) -> str:
    """A valid resident ID number (GB 11643 check digit), distinct for each n."""
    born = date(1950, 1, 1) + timedelta(days=n // 1000 % 20000)
    body = f"440111{born:%Y%m%d}{n % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


class VirtualUser(threading.Thread):
    def __init__(self, shared: Shared, port: int, user: User, role: str, plan: dict) -> None:
        super().__init__(daemon=True)
        self.shared, self.port, self.user, self.role, self.plan = shared, port, user, role, plan
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}
        self.token = issue_token(user, TOKEN_NAME)
        self.deadline, self.think = 0.0, 0.0
        self.rng = random.Random()

    def request(self, kind: str, method: str, path: str, body=None, api=False, timed=True):
        headers = {"Authorization": f"Bearer {self.token}"} if api else {}
        if self.cookies and not api:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if isinstance(body, dict):
            body = json.dumps(body).encode() if api else urlencode(body).encode()
            headers["Content-Type"] = "application/json" if api else "application/x-www-form-urlencoded"
        t0 = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.fail(f"{method} {path}: {exc!r}")
            return None, b""
        if timed:
            with self.shared.lock:
                self.shared.samples[kind].append((time.perf_counter() - t0) * 1000)
        for header in resp.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip('"')
        return resp.status, data

    def fail(self, what: str) -> None:
        with self.shared.lock:
            self.shared.counts["errors"] += 1
            if len(self.shared.failures) < 10:
                self.shared.failures.append(what)

    def expect(self, kind, method, path, want=200, **kw) -> dict | bytes | None:
        status, data = self.request(kind, method, path, **kw)
        if status is None:
            return None
        if status != want:
            self.fail(f"{method} {path}: {status} {data[:300].decode(errors='replace')}")
            return None
        return json.loads(data) if kw.get("api") else data

    def login(self) -> bool:
        page = self.expect("login", "GET", "/login/", timed=False)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page or b"")
        form = {"username": self.user.username, "password": DEMO_PASSWORD, "next": ""}
        form["csrfmiddlewaretoken"] = match.group(1).decode() if match else ""
        return self.expect("login", "POST", "/login/", want=302, body=form, timed=False) is not None

    def run(self) -> None:
        kinds, weights = zip(*MIX[self.role].items(), strict=True)
        while time.monotonic() < self.deadline:
            kind = self.rng.choices(kinds, weights)[0]
            if not getattr(self, kind)():
                self.list()  # nothing waiting for a transition yet: a list page instead
            if self.think:  # reading the page before the next click (exponential, mean --think seconds)
                pause = min(self.rng.expovariate(1 / self.think), 10 * self.think)
                time.sleep(max(0.0, min(pause, self.deadline - time.monotonic())))

    def list(self) -> bool:
        p = self.plan
        params = self.rng.choice(
            [
                {"status": self.rng.choice(["registered", "forwarded", "handling", "replied"])},
                {"channel": self.rng.choice(["letter", "visit", "online", "hotline_12345"])},
                {"overdue": "on"},
                {"unit": self.rng.choice(p["units"]), "channel": "online"},
                {"todo": "on"},
            ]
        )
        return self.expect("list", "GET", "/cases/?" + urlencode(params)) or True

    def search(self) -> bool:
        q = self.rng.choice([self.rng.choice(self.plan[k]) for k in ("numbers", "names", "keywords")])
        return self.expect("search", "GET", "/cases/?" + urlencode({"q": q})) or True

    def detail(self) -> bool:
        return self.expect("detail", "GET", f"/cases/{self.rng.choice(self.plan['ids'])}/") or True

    def register(self) -> bool:
        n = next(self.shared.ids)
        payload = {
            "channel": self.rng.choice(["letter", "online", "call"]),
            "received_date": self.plan["today"],
            "title": "反映拖欠工资问题",
            "content": f"某公司拖欠工资三个月，多次协商未果（负载测试 {n}）。",
            "category": self.rng.choice(self.plan["categories"]),
            "nature": "appeal",
            "petitioners": [
                {
                    "name": self.rng.choice(self.plan["names"]),
                    "id_number": id_number(n),
                    "phone": f"139{n % 10**8:08d}",
                }
            ],
        }
        status, data = self.request("register", "POST", "/api/cases/", body=payload, api=True)
        if status == 201:
            case = json.loads(data)
            with self.shared.lock:
                self.shared.counts["registered"] += 1
                self.shared.written[case["id"]] = {"version": case["version"], "events": []}
            self.shared.add(("forward", None), case["id"])
        elif status is not None:  # a 409 here (登记繁忙) is a registration refused: an error too
            self.fail(f"POST /api/cases/: {status} {data[:300].decode(errors='replace')}")
        return True

    def transition(self) -> bool:
        unit = self.plan["unit"]
        keys = [("forward", None)] if unit is None else [("start_handling", unit), ("accept", unit)]
        self.rng.shuffle(keys)
        for key in keys:
            if (case_id := self.shared.pick(key)) is not None:
                return self.act(case_id, key) or True
        return False

    def act(self, case_id: int, key: tuple) -> None:
        code = key[0]
        for _attempt in range(2):  # a conflict: re-read and try once more
            listed = self.expect("actions", "GET", f"/api/cases/{case_id}/actions", api=True)
            if listed is None:
                return
            action = next((a for a in listed["actions"] if a["code"] == code), None)
            if action is None:  # another user took the step between our pick and our read
                self.shared.drop(key, case_id)
                return
            payload = {"version": listed["version"]}
            if code == "forward":
                payload["unit"] = self.rng.choice(self.plan["units"])
            path = f"/api/cases/{case_id}/actions/{code}"
            status, data = self.request("transition", "POST", path, body=payload, api=True)
            if status == 200:
                result = json.loads(data)
                with self.shared.lock:
                    self.shared.counts["transitions"] += 1
                    self.shared.counts[code] += 1
                    self.shared.written[case_id]["events"].append(result["event"]["id"])
                self.shared.drop(key, case_id)
                if code in FLOW:
                    self.shared.add((FLOW[code], payload.get("unit", key[1])), case_id)
                return
            if status == 409 and json.loads(data).get("code") in ("conflict", "not_allowed"):
                self.count("conflicts")
                continue
            if status is not None:
                self.fail(f"POST {path}: {status} {data[:300].decode(errors='replace')}")
            return

    def count(self, name: str) -> None:
        with self.shared.lock:
            self.shared.counts[name] += 1


def plan_users(n: int) -> list[tuple[User, str, dict]]:
    """Who each virtual user is, and what it reads: cases it may see, names, numbers, units."""
    registrars = list(User.objects.filter(username__in=["registrar", "registrar2"]).order_by("username"))
    handlers = {}
    for h in User.objects.filter(role=Role.HANDLER).exclude(organisation__code__endswith="DISCIPLINE"):
        handlers.setdefault(h.organisation_id, h)
    handlers = [handlers[k] for k in sorted(handlers)][:8]
    units = [h.organisation_id for h in handlers]
    last = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    people_last = Petitioner.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sample = random.sample(range(1, people_last + 1), min(people_last, 2000))
    names = list(Petitioner.objects.filter(pk__in=sample).values_list("name", flat=True)) or ["张伟"]
    categories = list(
        Category.objects.filter(parent__isnull=False, children__isnull=True).values_list("pk", flat=True)
    )
    plans, people = {}, []
    for i in range(n):
        user = registrars[i // 2 % len(registrars)] if i % 2 == 0 else handlers[i // 2 % len(handlers)]
        if user.pk not in plans:
            sample = random.sample(range(1, last + 1), min(last, 5000))
            rows = list(visible_cases(user).filter(pk__in=sample).values_list("pk", "number")[:300])
            rows = rows or list(visible_cases(user).order_by("-pk").values_list("pk", "number")[:300])
            plans[user.pk] = {
                "ids": [pk for pk, _ in rows],
                "numbers": [number for _, number in rows],
                "names": names,
                "keywords": KEYWORDS,
                "categories": categories,
                "today": clock.today().isoformat(),
                "unit": None if user.role == Role.REGISTRAR else user.organisation_id,
                "units": units if user.role == Role.REGISTRAR else [user.organisation_id],
            }
        people.append((user, "registrar" if i % 2 == 0 else "handler", plans[user.pk]))
    return people


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "XINFANG_STATIC_MANIFEST": "1",
        "XINFANG_CONN_MAX_AGE": "60",
        "XINFANG_ALLOWED_HOSTS": "127.0.0.1",
        "XINFANG_SECRET_KEY": secrets.token_urlsafe(50),
        "XINFANG_DEBUG": "0",
        "XINFANG_SECURE_COOKIES": "0",
        "XINFANG_SSL_REDIRECT": "0",
    }
    manage = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    subprocess.run(manage, cwd=ROOT, env=env, check=True)
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    cmd = [str(Path(sys.executable).with_name("gunicorn")), "xinfang.wsgi:application"]
    cmd += ["-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    cmd += ["--access-logfile", str(var / "load-access.log")]
    (var / "load-access.log").write_text("")
    with open(var / "load-server.log", "w") as log:  # gunicorn's own log and Django's (tracebacks)
        server = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    for _ in range(600):
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}; see var/load-server.log")
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/login/")
            if probe.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    stop_server(server)
    sys.exit("gunicorn did not answer within a minute")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def lost_updates(written: dict[int, dict]) -> int:
    """Cases registered in the run whose timeline or version disagrees with the transitions the client saw
    succeed: an event missing (or one it never saw), or a version other than registered + transitions."""
    lost, ids = 0, list(written)
    for i in range(0, len(ids), 5000):
        batch = ids[i : i + 5000]
        versions = dict(Case.objects.filter(pk__in=batch).values_list("pk", "version"))
        events = defaultdict(set)
        rows = CaseEvent.objects.filter(case_id__in=batch, action__in=["forward", *FLOW.values()])
        for case_id, pk in rows.values_list("case_id", "pk"):
            events[case_id].add(pk)
        for case_id in batch:
            seen = written[case_id]["events"]
            expected_version = written[case_id]["version"] + len(seen)
            lost += events[case_id] != set(seen) or versions.get(case_id) != expected_version
    return lost


def server_times(access_log: Path) -> dict[str, list[float]]:
    """Request times (ms) from gunicorn's access log (gunicorn.conf.py: path without query, time last), by
    kind of page: case lists and searches, case pages, the API, the rest."""
    times: dict[str, list[float]] = defaultdict(list)
    for line in access_log.read_text().splitlines():
        parts = line.split()
        if len(parts) < 8 or not parts[-1].endswith("s") or parts[6] == "/login/":
            continue  # the logins happen before the clock starts
        path, took = parts[6], float(parts[-1][:-1]) * 1000
        kind = "list" if path == "/cases/" else "detail" if re.fullmatch(r"/cases/\d+/", path) else (
            "api" if path.startswith("/api/") else "other")  # fmt: skip
        times[kind].append(took)
        times["all"].append(took)
    return {k: sorted(v) for k, v in times.items()}


def percentile(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(p / 100 * len(values)))] if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--no-server", action="store_true", help="use a server already on --port")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean seconds a user reads before the next request"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; figures are for", connection.vendor)
    print(f"cases: {Case.objects.count()} rows")
    server = None if args.no_server else start_server(args.port, args.workers)
    try:
        shared = Shared()
        vus = [VirtualUser(shared, args.port, *p) for p in plan_users(max(2, args.users))]
        connection.close()  # idle during the run
        t0 = time.perf_counter()
        for group in [vus[i : i + 10] for i in range(0, len(vus), 10)]:  # logins hash passwords
            done = [threading.Thread(target=vu.login) for vu in group]
            [t.start() for t in done]
            [t.join() for t in done]
        print(f"login_time: {time.perf_counter() - t0:.1f} s ({len(vus)} logins through the form)")
        start = time.monotonic()
        for vu in vus:
            vu.deadline, vu.think = start + args.seconds, args.think
            vu.start()
        for vu in vus:
            vu.join()
        elapsed = time.monotonic() - start
    finally:
        if server is not None:
            stop_server(server)
    lost = lost_updates(shared.written)
    ApiToken.objects.filter(name=TOKEN_NAME).delete()
    total = sum(len(v) for v in shared.samples.values())
    print(f"server_workers: {'external' if args.no_server else args.workers}")
    print(f"users: {len(vus)}")
    print(f"think_time_mean: {args.think:.1f} s")
    print(f"duration: {elapsed:.1f} s")
    print(f"requests: {total}")
    print(f"throughput: {total / elapsed:.1f} req/s")
    everything = sorted(x for v in shared.samples.values() for x in v)
    for name, values in [("all", everything)] + [(k, sorted(shared.samples[k])) for k in KINDS]:
        print(f"{name}_requests: {len(values)}")
        for p in (50, 95, 99):
            print(f"{name}_p{p}: {percentile(values, p):.0f} ms")
    if not args.no_server:  # the time the server spent on each request, queueing for a worker excluded
        served = server_times(ROOT / "var" / "load-access.log")
        for name, values in served.items():
            print(f"server_{name}_p50: {percentile(values, 50):.0f} ms")
            print(f"server_{name}_p95: {percentile(values, 95):.0f} ms")
    for name in ("errors", "conflicts", "registered", "transitions", "forward", *FLOW.values()):
        print(f"{name}: {shared.counts[name]}")
    print(f"lost_updates: {lost}")
    for failure in shared.failures:
        print("  error:", failure)
    if shared.counts["errors"] or lost:
        sys.exit(1)


if __name__ == "__main__":
    main()
