"""Django's deployment check passes with production settings; the headers that follow from them."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "wiki.example.com",
    "BEHIND_HTTPS_PROXY": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "3600",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    # As the compose file deploys it: one cache every worker shares (the check only reads it).
    "REDIS_URL": "redis://redis:6379/0",
}


def _check(tmp_path, **overrides):
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        **PRODUCTION,
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_check_passes_with_production_settings(tmp_path):
    result = _check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_check_warns_when_the_workers_share_no_cache(tmp_path):
    result = _check(tmp_path, REDIS_URL="")
    assert result.returncode != 0
    assert "wiki.W001" in result.stderr


@pytest.mark.parametrize(
    ("setting", "value", "warning"),
    [
        ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "0", "security.W005"),
        ("SECURE_HSTS_PRELOAD", "0", "security.W021"),
        ("SECURE_SSL_REDIRECT", "0", "security.W008"),
    ],
)
def test_the_deployment_check_fails_without_each_setting(tmp_path, setting, value, warning):
    result = _check(tmp_path, **{setting: value})
    assert result.returncode != 0
    assert warning in result.stderr


@pytest.mark.django_db
def test_hsts_preload_and_subdomains_reach_the_header(client, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=3600; includeSubDomains; preload"
