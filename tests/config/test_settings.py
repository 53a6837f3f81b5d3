"""Production mode refuses to start half-configured; the embedded default needs no server."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from core.checks import site_url_is_public

ROOT = Path(__file__).resolve().parents[2]
CHECK = "import django; django.setup(); from django.conf import settings; print(repr(({expr})))"


def run_settings(env: dict[str, str], expr: str = "'started'") -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_"))
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", CHECK.format(expr=expr)],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": "k" * 50}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": "example.com"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "example.com"}, "DJANGO_SECRET_KEY"),
    ],
)
def test_production_mode_refuses_to_start_without_secret_key_and_hosts(env, missing, tmp_path):
    result = run_settings({"DJANGO_VAR_DIR": str(tmp_path), **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"needs {missing}." in result.stderr


def test_production_mode_starts_with_secret_key_and_hosts(tmp_path):
    result = run_settings(
        {
            "DJANGO_VAR_DIR": str(tmp_path),
            "DJANGO_SECRET_KEY": "k" * 50,
            "DJANGO_ALLOWED_HOSTS": "example.com",
        },
        expr="settings.DEBUG, settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(False, True, True)"


def test_a_mistyped_boolean_is_an_error_not_a_guess(tmp_path):
    result = run_settings({"DJANGO_VAR_DIR": str(tmp_path), "DJANGO_DEBUG": "ture"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_the_embedded_default_needs_no_server(tmp_path):
    result = run_settings(
        {"DJANGO_VAR_DIR": str(tmp_path), "DJANGO_DEBUG": "true"},
        expr=(
            "settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL, "
            "settings.CACHES['default']['BACKEND'], settings.EMAIL_BACKEND"
        ),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(
        (
            "django.db.backends.sqlite3",
            "filesystem://",
            "django.core.cache.backends.locmem.LocMemCache",
            "django.core.mail.backends.console.EmailBackend",
        )
    )


def test_urls_switch_to_postgres_and_redis_with_persistent_connections(tmp_path):
    result = run_settings(
        {
            "DJANGO_VAR_DIR": str(tmp_path),
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": "postgres://u@db.example:5432/shop",
            "REDIS_URL": "redis://cache.example:6379/0",
        },
        expr=(
            "settings.DATABASES['default']['ENGINE'], "
            "settings.DATABASES['default']['CONN_MAX_AGE'], "
            "settings.DATABASES['default']['CONN_HEALTH_CHECKS'], settings.CELERY_BROKER_URL, "
            "settings.CACHES['default']['BACKEND']"
        ),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(
        (
            "django.db.backends.postgresql",
            600,
            True,
            "redis://cache.example:6379/0",
            "django.core.cache.backends.redis.RedisCache",
        )
    )


def test_deploy_checks_pass_with_the_documented_production_settings(tmp_path):
    env = {"DJANGO_VAR_DIR": str(tmp_path)}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            env[name] = value.strip('"')
    env["DJANGO_SECRET_KEY"] = "a-long-random-production-key-0123456789-abcdefghijklmnop"
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_the_models_and_the_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize(
    ("url", "warned"),
    [
        ("http://127.0.0.1:8000", True),
        ("https://localhost", True),
        ("http://marketplace.example.com", True),
        ("https://marketplace.example.com", False),
    ],
)
def test_the_deploy_check_warns_of_a_site_url_users_cannot_reach(settings, url, warned):
    settings.SITE_URL = url
    assert [message.id for message in site_url_is_public(None)] == (["core.W001"] if warned else [])
