"""Settings come from the environment and refuse an unsafe production start."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_it_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run_check(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr


def test_it_starts_in_production_mode_with_a_secret_key():
    result = run_check(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="gmp.example.fr")
    assert result.returncode == 0, result.stderr


def test_it_rejects_a_malformed_debug_flag():
    result = run_check(DEBUG="peut-être")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_it_speaks_french_in_paris_time():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
