"""Load test: the application under gunicorn on PostgreSQL, driven on loopback as a department's busiest day.

    python bench/load.py [--duration 60] [--max-steps 4] [--workers 4] [--port 8765]

It (re)creates its own database (`DATABASE_URL`'s server, database `butgmp_load` unless `--database` says
otherwise), migrates it, loads the programmes and a department (`bench/load_seed.py`), starts gunicorn with
`--workers` workers and DEBUG off (static files collected, as in production), and drives it on 127.0.0.1 only:
- 20 secretaries, each saving one grade every 1–2 s in the grid (an open-loop arrival rate: a save is sent at its
  time whether or not the previous one has come back, as people type);
- 5 jury members reloading the year report every 5–10 s;
- 50 students reading their results every 10–20 s.
Then the same with every arrival rate doubled, step after step, until the p95 of grid saves passes 200 ms (or
`--max-steps` doublings). Latency is measured from the time a request was due, so a queue in front of the server
counts. It prints requests, errors and p50/p95/p99 per kind and step, the rate at which latency breaks, then checks
that every acknowledged grade is in the database with its audit row, in order (nothing lost). Bounded: each
step lasts `--duration` seconds, at most `--max-steps` + 1 steps, every request times out after 10 s, and
gunicorn is stopped on the way out.
"""
import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "butgmp.settings")

BREAK_P95_MS = 200.0
TARGET_SAVE_P95_MS = 50.0
REQUEST_TIMEOUT_S = 10.0
HARD_LIMIT_S = 20 * 60  # the whole run, set-up included, stops by itself after this

from bench.load_server import (  # noqa: E402
    database_url,
    manage,
    recreate_database,
    server_env,
    start_server,
    stop_server,
)

# ---------------------------------------------------------------- the client


@dataclass
class Sample:
    kind: str
    latency_ms: float
    ok: bool


class Client:
    """HTTP/1.1 keep-alive connections to the server, one per client thread."""

    def __init__(self, port: int):
        self.port = port
        self.local = threading.local()

    def request(self, method: str, path: str, *, cookies: str, body: dict | None = None,
                csrf: str = "") -> tuple[int, bytes]:
        headers = {"Cookie": cookies, "Host": "127.0.0.1"}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrf,
                            "Referer": f"http://127.0.0.1:{self.port}/", "X-Requested-With": "fetch"})
        for attempt in (1, 2):  # a keep-alive connection the server closed is reopened once
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_S)
            try:
                conn.request(method, path, body=data, headers=headers)
                response = conn.getresponse()
                return response.status, response.read()
            except (ConnectionError, OSError):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


# ---------------------------------------------------------------- the actors


@dataclass
class Cell:
    evaluation_id: int
    enrolment_id: int
    max_score: int
    version: int
    in_flight: bool = False
    acknowledged: list[str] = field(default_factory=list)  # values the server said it saved, in order


class Secretary:
    """Saves one grade after another in the grid of their own evaluation, never two at once in the same cell."""

    kind = "enregistrement d'une note (grille)"

    def __init__(self, actor: dict, rng: random.Random):
        self.cookies, self.csrf = actor["cookies"], actor["csrf"]
        self.path = actor["save_path"]
        self.cells = [Cell(**c) for c in actor["cells"]]
        self.position = rng.randrange(len(self.cells))
        self.rng = rng
        self.lock = threading.Lock()

    def next_cell(self) -> Cell | None:
        with self.lock:
            for _ in range(len(self.cells)):
                self.position = (self.position + 1) % len(self.cells)
                cell = self.cells[self.position]
                if not cell.in_flight:
                    cell.in_flight = True
                    return cell
        return None

    def act(self, client: Client) -> bool:
        cell = self.next_cell()
        if cell is None:
            return False
        try:
            value = f"{self.rng.randrange(0, cell.max_score * 4 + 1) / 4:.2f}".replace(".", ",")
            status, body = client.request("POST", self.path.format(evaluation=cell.evaluation_id),
                                          cookies=self.cookies, csrf=self.csrf,
                                          body={"enrolment": cell.enrolment_id, "value": value,
                                                "version": cell.version})
            if status != 200:
                return False
            answer = json.loads(body)
            if not answer.get("ok"):
                return False
            cell.version = answer["version"]
            if answer.get("changed"):
                cell.acknowledged.append(answer["value"])
            return True
        finally:
            cell.in_flight = False


class Reader:
    """Reloads one page (the jury's year report, a student's results)."""

    def __init__(self, kind: str, actor: dict):
        self.kind = kind
        self.cookies, self.path = actor["cookies"], actor["path"]

    def act(self, client: Client) -> bool:
        status, _body = client.request("GET", self.path, cookies=self.cookies)
        return status == 200


# ---------------------------------------------------------------- one step


def schedule(actors: list[tuple[object, float, float]], duration: float, factor: float,
             rng: random.Random) -> list[tuple[float, object]]:
    """Return (due time, actor) pairs: each actor acts every uniform(lo, hi)/factor seconds, open loop."""
    events = []
    for actor, lo, hi in actors:
        t = rng.uniform(0, hi / factor)
        while t < duration:
            events.append((t, actor))
            t += rng.uniform(lo, hi) / factor
    events.sort(key=lambda e: e[0])
    return events


def run_step(client: Client, actors, duration: float, factor: float, rng: random.Random) -> list[Sample]:
    samples: list[Sample] = []
    lock = threading.Lock()
    events = schedule(actors, duration, factor, rng)
    start = time.monotonic()

    def fire(due: float, actor) -> None:
        try:
            ok = actor.act(client)
        except Exception:  # a refused or timed-out connection is an error of this request, counted
            ok = False
        latency = (time.monotonic() - start - due) * 1000
        with lock:
            samples.append(Sample(actor.kind, latency, ok))

    with ThreadPoolExecutor(max_workers=256) as pool:
        for due, actor in events:
            delay = start + due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(fire, due, actor)
    return samples


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarise(step: int, factor: float, duration: float, samples: list[Sample]) -> list[dict]:
    rows = []
    by_kind = defaultdict(list)
    for s in samples:
        by_kind[s.kind].append(s)
    for kind, items in sorted(by_kind.items()):
        latencies = [s.latency_ms for s in items]
        rows.append({
            "step": step, "factor": factor, "kind": kind, "requests": len(items),
            "rate": len(items) / duration, "errors": sum(1 for s in items if not s.ok),
            "p50": statistics.median(latencies), "p95": percentile(latencies, 95), "p99": percentile(latencies, 99),
        })
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"{'étape':>5} {'débit':>6} {'type de requête':<36} {'requêtes':>8} {'req/s':>7} {'erreurs':>7} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for r in rows:
        print(f"{r['step']:>5} {'×' + format(r['factor'], 'g'):>6} {r['kind']:<36} {r['requests']:>8} "
              f"{r['rate']:>7.1f} {r['errors']:>7} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f}")


# ---------------------------------------------------------------- nothing lost


def check_nothing_lost(url: str, secretaries: list[Secretary], since) -> tuple[int, list[str]]:
    """Compare every acknowledged save with the grades and the audit rows in the database."""
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from grading.models import Grade, GradeChange

    cells = {(c.evaluation_id, c.enrolment_id): c for s in secretaries for c in s.cells}
    stored = {(g.evaluation_id, g.enrolment_id): g.display
              for g in Grade.objects.filter(evaluation_id__in={k[0] for k in cells})}
    audit = defaultdict(list)
    for evaluation_id, enrolment_id, new_value in (
        GradeChange.objects.filter(evaluation_id__in={k[0] for k in cells}, source=GradeChange.Source.GRID,
                                   at__gte=since).order_by("id").values_list("evaluation_id", "enrolment_id",
                                                                             "new_value")):
        audit[(evaluation_id, enrolment_id)].append(new_value)
    problems, acknowledged = [], 0
    for key, cell in cells.items():
        acknowledged += len(cell.acknowledged)
        if cell.acknowledged and stored.get(key) != cell.acknowledged[-1]:
            problems.append(f"note {key} : dernière valeur acquittée {cell.acknowledged[-1]}, "
                            f"en base {stored.get(key)}")
        if audit.get(key, []) != cell.acknowledged:
            problems.append(f"note {key} : historique {audit.get(key, [])} ≠ acquittées {cell.acknowledged}")
    return acknowledged, problems


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60, help="seconds per step (default 60)")
    parser.add_argument("--max-steps", type=int, default=4, help="doublings of the rate at most (default 4)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="butgmp_load", help="database created for the run")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    signal.alarm(HARD_LIMIT_S)  # stops by itself whatever happens

    url = database_url(args)
    print(f"Base : {url} — préparation (migrate, programmes, département)…", flush=True)
    recreate_database(url)
    manage(url, "migrate", "--noinput")
    manage(url, "load_programmes")
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput"], check=True, cwd=ROOT,
                   env=server_env(url, args.port), stdout=subprocess.DEVNULL)
    seed_out = subprocess.run([sys.executable, str(ROOT / "bench" / "load_seed.py")], check=True, cwd=ROOT,
                              env=server_env(url, args.port), capture_output=True, text=True)
    plan = json.loads(seed_out.stdout)
    rng = random.Random(args.seed)
    secretaries = [Secretary(a, random.Random(rng.random())) for a in plan["secretaries"]]
    jury = [Reader("rapport d'année (jury)", a) for a in plan["jury"]]
    students = [Reader("résultats d'un étudiant", a) for a in plan["students"]]
    actors = ([(s, 1.0, 2.0) for s in secretaries] + [(j, 5.0, 10.0) for j in jury]
              + [(s, 10.0, 20.0) for s in students])

    from datetime import UTC, datetime

    since = datetime.now(UTC)
    server = start_server(url, args.port, args.workers)
    print(f"gunicorn : {args.workers} workers sur 127.0.0.1:{args.port} ; {len(secretaries)} secrétaires, "
          f"{len(jury)} membres du jury, {len(students)} étudiants ; {args.duration:g} s par étape.", flush=True)
    rows, broke_at = [], None
    try:
        client = Client(args.port)
        for reader in (jury + students)[:4 * args.workers]:  # warm every worker up (imports, first queries)
            reader.act(client)
        for step in range(args.max_steps + 1):
            factor = 2.0 ** step
            samples = run_step(client, actors, args.duration, factor, rng)
            step_rows = summarise(step + 1, factor, args.duration, samples)
            rows += step_rows
            print_table(step_rows)
            saves = next((r for r in step_rows if r["kind"] == Secretary.kind), None)
            if saves and saves["p95"] > BREAK_P95_MS:
                broke_at = saves
                break
    finally:
        stop_server(server)

    print("\nRécapitulatif")
    print_table(rows)
    if broke_at:
        print(f"\nLa latence casse à ×{broke_at['factor']:g} : {broke_at['rate']:.1f} enregistrements/s, "
              f"p95 {broke_at['p95']:.0f} ms > {BREAK_P95_MS:.0f} ms.")
    else:
        print(f"\nPas de rupture jusqu'à ×{2 ** args.max_steps:g} (p95 des enregistrements ≤ {BREAK_P95_MS:.0f} ms).")
    base = next(r for r in rows if r["step"] == 1 and r["kind"] == Secretary.kind)
    errors = sum(r["errors"] for r in rows if r["step"] == 1)
    verdict = "atteinte" if base["p95"] < TARGET_SAVE_P95_MS and errors == 0 else "NON atteinte"
    print(f"Cible au rythme d'un département (p95 d'un enregistrement < {TARGET_SAVE_P95_MS:.0f} ms, 0 erreur) : "
          f"{verdict} (p95 {base['p95']:.1f} ms, {errors} erreur(s)).")

    acknowledged, problems = check_nothing_lost(url, secretaries, since)
    if problems:
        print(f"\nPERTE : {len(problems)} écart(s) sur {acknowledged} notes acquittées :")
        for line in problems[:20]:
            print("  " + line)
        return 1
    print(f"\nRien de perdu : les {acknowledged} notes acquittées sont en base, chacune avec sa ligne d'historique, "
          "dans l'ordre.")
    return 0 if verdict == "atteinte" else 1


if __name__ == "__main__":
    sys.exit(main())
