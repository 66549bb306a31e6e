"""The demo department the browser tests share: a small `make_demo`, built once per test session and committed.

A live server answers from its own thread and connection, so the demo it serves must be committed: it is built at
STUDENTS students per promotion the first time a test asks for it (the `demo` fixture of tests/browser/conftest.py),
and again only when it is gone (a transactional test flushes the database). It is built, read and removed on a
connection of its own (`in_own_connection`): that one commits whatever transaction the test is in, and Playwright
runs a test body in a context where Django would open (and leave open) another connection.

Its tests are not transactional (no flush after each): what they change through the browser stays for the next
one, so each works on its own students or only reads. A test that removes the demo must not have read the database
on the test's own connection first (the flush would wait for that transaction's locks). A committed demo must not
reach the other tests, which expect an empty database: a module that uses it says so with `pytest.mark.shared_demo`,
and before the first module that does not, tests/conftest.py flushes the database (`remove`), as a transactional
test would.
"""
import threading
from dataclasses import dataclass

from django.core.management import call_command
from django.db import connection

from demo.build import DIJON_PROGRAMME, demo_present, make_demo
from demo.matrix import SOURCE_PROGRAMME
from demo.people import DEMO_PASSWORD
from tests import real_programmes

STUDENTS, SEED = 6, 2026
PASSWORD = DEMO_PASSWORD


@dataclass
class State:
    committed: bool = False  # the database holds a committed demo (tests/conftest.py flushes it when leaving)
    builds: int = 0  # demos built in this session (this xdist worker)


state = State()


def in_own_connection(call):
    """Run `call` in a thread of its own, so on a connection of its own that commits (outside the calling test's
    transaction and whatever context Playwright runs in); return its result or raise its exception."""
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except BaseException as error:  # noqa: BLE001 — raised again in the caller's thread
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def present() -> bool:
    """Whether the database holds a committed demo."""
    return in_own_connection(demo_present)


def ensure() -> bool:
    """Build the demo, committed, unless the database holds it (one query); return whether it was built."""
    return in_own_connection(_ensure)


def _ensure() -> bool:
    if demo_present():
        return False
    real_programmes.load((DIJON_PROGRAMME, SOURCE_PROGRAMME))
    said = make_demo(students=STUDENTS, seed=SEED, progress=lambda line: None)
    if not demo_present():
        raise RuntimeError(f"make_demo n'a pas construit la démonstration : {said}")
    state.committed = True
    state.builds += 1
    return True


def remove() -> None:
    """Empty the database, as a transactional test does after it, so that no other test finds the demo."""
    in_own_connection(lambda: call_command("flush", interactive=False, verbosity=0))
    state.committed = False
