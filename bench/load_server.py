"""The load test's own PostgreSQL database and its gunicorn server (`bench/load.py`): created, migrated,
started with production-like settings on loopback, and stopped on the way out."""
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def database_url(args) -> str:
    base = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    parts = urllib.parse.urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        sys.exit("bench/load.py mesure PostgreSQL : DATABASE_URL doit désigner un serveur PostgreSQL.")
    return urllib.parse.urlunsplit(parts._replace(path="/" + args.database))


def recreate_database(url: str) -> None:
    """Drop and create the load test's own database (never the one DATABASE_URL names)."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(url: str, *command: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *command], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)


SECRET_KEY = secrets.token_urlsafe(50)  # one for the seed and the server: the sessions it opens are signed with it


def server_env(url: str, port: int) -> dict:
    """Production-like settings on plain HTTP over loopback (no TLS here, so no HTTPS redirect or HSTS)."""
    return {
        **os.environ, "DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1", "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0", "SECURE_COOKIES": "false",
        "LOG_LEVEL": "ERROR",
    }


def start_server(url: str, port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "butgmp.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--timeout", "30"],
        cwd=ROOT, env=server_env(url, port), start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/connexion/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    sys.exit("gunicorn n'a pas démarré en 30 s.")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
