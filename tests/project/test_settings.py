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


def test_cache_url_chooses_each_process_memory_a_shared_redis_or_the_database():
    import pytest
    from django.core.exceptions import ImproperlyConfigured

    from butgmp.settings import cache_config

    assert cache_config("")["default"]["BACKEND"].endswith("LocMemCache")
    redis = cache_config("redis://cache.example.fr:6379/1")["default"]
    assert (redis["BACKEND"], redis["LOCATION"]) == ("django.core.cache.backends.redis.RedisCache",
                                                     "redis://cache.example.fr:6379/1")
    assert cache_config("db")["default"] == {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                             "LOCATION": "butgmp_cache"}
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_config("memcached://x")


def test_the_database_cache_table_is_created_by_createcachetable(db):
    from django.core.cache.backends.db import DatabaseCache
    from django.core.management import call_command
    from django.db import connection

    call_command("createcachetable", "butgmp_cache", verbosity=0)
    cache = DatabaseCache("butgmp_cache", {})
    cache.set("results:v1:7", {"UE1.1": "12,50"})
    assert cache.get("results:v1:7") == {"UE1.1": "12,50"}
    assert "butgmp_cache" in connection.introspection.table_names()
