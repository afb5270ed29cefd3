"""Set-up: settings from the environment, the deployment file, demo users."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parent.parent


def _start(**environment) -> subprocess.CompletedProcess:
    """Import the real settings in a fresh interpreter with ``environment``."""
    env = {
        key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    env.update(environment)
    env["DJANGO_SETTINGS_MODULE"] = "wiki.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("environment", "named"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "1", "WIKI_PUBLIC_READ": "sometimes"}, "WIKI_PUBLIC_READ"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
        ({"DEBUG": "1", "DATABASE_URL": "nonsense://"}, "DATABASE_URL"),
        ({"DEBUG": "1", "ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS"),
    ],
)
def test_a_bad_setting_stops_start_up_naming_the_variable(environment, named):
    result = _start(**environment)
    assert result.returncode != 0
    assert named in result.stderr.splitlines()[-1]


def test_debug_starts_with_a_development_key_and_sqlite():
    result = _start(DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_production_starts_with_a_secret_key_and_postgresql_url():
    result = _start(DEBUG="0", SECRET_KEY="x" * 50, DATABASE_URL="postgres://u:p@db:5432/chapterwise")
    assert result.returncode == 0, result.stderr


def test_docker_compose_has_database_cache_and_web_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "web"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    for name in ("db", "redis", "web"):
        assert services[name]["healthcheck"]["test"], name
    assert "db-data:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "db-data" in compose["volumes"]
    web = services["web"]
    assert "migrate --noinput" in web["command"] and "gunicorn wiki.wsgi:application" in web["command"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    assert web["environment"]["REDIS_URL"].startswith("redis://")
    assert (ROOT / "Dockerfile").exists()


@pytest.mark.django_db
def test_setup_demo_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("setup_demo")
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_the_role_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Reader", "Editor", "Reviewer", "Moderator"}
