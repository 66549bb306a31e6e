"""A real CAS server for the accounts tests: django-cas-server in its own process, database and loopback port.

`cas_server` (session) starts it once: its settings and directory are in tests/accounts/cas_server/ (people and
password in cas_directory.py). `cas_on` points the application at it, as CAS_SERVER_URL would in production.
`cas_sign_in(session, path, login)` walks the whole CAS round trip with `requests`, across both processes.
"""
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

CAS_DIR = Path(__file__).parent / "cas_server"
sys.path.insert(0, str(CAS_DIR))
from tests_accounts_helpers import cas_form_post  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def cas_server(tmp_path_factory):
    """Start the CAS server; yield its base URL (…/cas/); stop it at the end of the session."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(CAS_DIR), "DJANGO_SETTINGS_MODULE": "cas_settings",
           "CAS_TEST_DB": str(tmp_path_factory.mktemp("cas") / "cas.sqlite3")}
    subprocess.run([sys.executable, str(CAS_DIR / "cas_setup.py")], env=env, check=True, cwd=CAS_DIR)
    port = _free_port()
    log = open(tmp_path_factory.getbasetemp() / "cas_server.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
                               env=env, cwd=CAS_DIR, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/cas/"
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(url + "login", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the test CAS server did not start; see {log.name}")
        time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture
def cas_on(settings, cas_server):
    """Turn CAS login on in the application, pointed at the test CAS server."""
    settings.CAS_SERVER_URL = cas_server
    settings.LOGIN_URL = "accounts:cas_login"
    return cas_server


@pytest.fixture
def cas_sign_in(live_server, cas_on):
    """Return a function: open `path` on the application, sign in at the CAS as `login`, return the response."""

    def sign_in(session: requests.Session, path: str, *, login: str) -> requests.Response:
        page = session.get(live_server.url + path, timeout=10)
        return cas_form_post(session, page, login=login)

    return sign_in
