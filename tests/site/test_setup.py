"""Set-up: settings from the environment, the deployment file, demo users."""

import os
import re
import shlex
import subprocess
import sys

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from tests.factories import make_user
from tests.paths import ROOT


def _start(**environment) -> subprocess.CompletedProcess:
    """Import the real settings in a fresh interpreter with only ``environment`` set."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
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
        ({"DEBUG": "0", "SECRET_KEY": "k" * 50}, "ALLOWED_HOSTS"),
        ({"DEBUG": "1", "CSRF_TRUSTED_ORIGINS": "wiki.example.com"}, "CSRF_TRUSTED_ORIGINS"),
        ({"DEBUG": "1", "DATABASE_URL": "postgres://u:p@db:5432"}, "DATABASE_URL"),
        ({"DEBUG": "1", "DATABASE_URL": "postgres://u@db:port/x"}, "DATABASE_URL"),
        ({"DEBUG": "1", "DATABASE_POOL_MAX_SIZE": "ten"}, "DATABASE_POOL_MAX_SIZE"),
        ({"DEBUG": "1", "DATABASE_POOL_MAX_SIZE": "0"}, "DATABASE_POOL_MAX_SIZE"),
        ({"DEBUG": "1", "REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        ({"DEBUG": "1", "REDIS_URL": "http://redis:6379/0"}, "REDIS_URL"),
        ({"DEBUG": "1", "WIKI_SITE_URL": "wiki.example.com"}, "WIKI_SITE_URL"),
        ({"DEBUG": "1", "WIKI_ALLOW_SELF_APPROVAL": "sure"}, "WIKI_ALLOW_SELF_APPROVAL"),
        ({"DEBUG": "1", "SECURE_COOKIES": "maybe"}, "SECURE_COOKIES"),
        ({"DEBUG": "1", "SECURE_HSTS_SECONDS": "-1"}, "SECURE_HSTS_SECONDS"),
        ({"DEBUG": "1", "SECURE_SSL_REDIRECT": "always"}, "SECURE_SSL_REDIRECT"),
        ({"DEBUG": "1", "BEHIND_HTTPS_PROXY": "nginx"}, "BEHIND_HTTPS_PROXY"),
        ({"DEBUG": "1", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"DEBUG": "1", "EMAIL_BACKEND": "no.such.Backend"}, "EMAIL_BACKEND"),
        ({"DEBUG": "1", "EMAIL_PORT": "smtp"}, "EMAIL_PORT"),
        ({"DEBUG": "1", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "EMAIL_USE_TLS"),
    ],
)
def test_a_bad_setting_stops_start_up_naming_the_variable(environment, named):
    result = _start(**environment)
    assert result.returncode != 0
    assert named in result.stderr.splitlines()[-1]


def test_debug_starts_with_a_development_key_and_sqlite():
    result = _start(DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_production_starts_with_a_secret_key_hosts_and_postgresql_url():
    result = _start(
        DEBUG="0",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="wiki.example.com",
        DATABASE_URL="postgres://u:p@db:5432/chapterwise",
        REDIS_URL="redis://redis:6379/0",
        WIKI_SITE_URL="https://wiki.example.com",
        CSRF_TRUSTED_ORIGINS="https://wiki.example.com",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        LOG_LEVEL="info",
    )
    assert result.returncode == 0, result.stderr


def test_with_redis_sessions_are_cached_in_it_and_kept_in_the_database():
    engine = _settings_value("SESSION_ENGINE", DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/15")
    assert engine == "django.contrib.sessions.backends.cached_db"
    assert _settings_value("SESSION_ENGINE", DEBUG="1") == "django.contrib.sessions.backends.db"


def _settings_value(name: str, **environment) -> str:
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(environment, DJANGO_SETTINGS_MODULE="wiki.settings")
    script = f"import django; django.setup(); from django.conf import settings as s; print(s.{name})"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.django_db
def test_signing_in_works_with_sessions_cached_in_a_real_redis(client, settings):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from django.contrib.sessions.models import Session
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "wiki.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{os.getpid()}",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    make_user("redis-reader", role="Reader")
    try:
        response = client.post("/accounts/login/", {"username": "redis-reader", "password": "pw"})
        assert response.status_code == 302
        key = client.cookies["sessionid"].value
        assert caches["default"].get(f"django.contrib.sessions.cached_db{key}") is not None
        assert Session.objects.filter(session_key=key).exists()
        assert "Log out" in client.get("/").content.decode()
    finally:
        caches["default"].clear()


def test_a_bare_checkout_checks_for_missing_migrations_without_a_secret_key(tmp_path):
    """makemigrations --check compares models with migration files: it needs no secret,
    while every other command still refuses to start without one."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    refused = manage("check")
    assert refused.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in refused.stderr


def _deploy_check(**environment) -> subprocess.CompletedProcess:
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    secret_key = "q8Zr-1vX0p_kT7mN3bW9yL2cH5fJ4dG6sA0eU8iO1tR7wQ3zE9nB5xM2"
    env.update(DEBUG="0", SECRET_KEY=secret_key, ALLOWED_HOSTS="wiki.example.com", **environment)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_production_deployment_over_https_passes_the_deploy_check():
    result = _deploy_check(
        BEHIND_HTTPS_PROXY="1",
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
    )
    output = result.stdout + result.stderr
    # Only the HSTS preload list is left: submitting a domain to it is the owner's decision.
    assert re.findall(r"security\.\w+", output) == ["security.W021"], output


def test_the_deploy_check_warns_about_hsts_until_it_is_set():
    result = _deploy_check()
    assert "security.W004" in result.stdout + result.stderr


def test_docker_compose_has_database_cache_and_web_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "web", "worker", "digest"}
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


def test_the_web_port_is_published_on_loopback_only():
    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]
    for mapping in web["ports"]:
        assert str(mapping).startswith("127.0.0.1:"), mapping


def test_no_other_service_publishes_a_port_and_none_joins_the_hosts_network():
    """With BEHIND_HTTPS_PROXY=1 a request that reaches gunicorn directly picks its own
    X-Forwarded-For, and with it the address the login throttle counts."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"web"}
    for name, service in services.items():
        assert service.get("network_mode") != "host", name
        assert not service.get("expose") or name == "web", name


def test_the_worker_runs_the_database_task_queue_with_the_web_services_settings():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    worker, digest, web = services["worker"], services["digest"], services["web"]
    assert worker["command"][:3] == ["python", "manage.py", "db_worker"]
    assert "manage.py send_digests" in " ".join(digest["command"])
    for service in (worker, digest):
        # The same settings as the web service (so the same database), on the database queue,
        # started once the web service has migrated.
        assert service["environment"] == web["environment"]
        assert service["depends_on"]["web"]["condition"] == "service_healthy"
        assert service["build"] == web["build"]
    assert web["environment"]["TASKS_BACKEND"] == "database"


def test_the_web_service_command_is_one_migrate_then_one_gunicorn_line():
    """A folded YAML scalar keeps the line breaks of more-indented lines, and sh reads a
    line break as the end of a command: only a line ending in '&&' may be continued."""
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["command"]
    lines = command.strip().splitlines()
    assert all(line.rstrip().endswith("&&") for line in lines[:-1]), lines
    assert "exec gunicorn wiki.wsgi:application" in lines[-1] and "--workers" in lines[-1]


def test_the_web_health_check_asks_the_health_endpoint():
    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]
    assert "http://127.0.0.1:8000/healthz/" in " ".join(web["healthcheck"]["test"])


def test_the_web_service_passes_on_only_variables_the_settings_read():
    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]
    settings_source = (ROOT / "wiki" / "settings.py").read_text()
    read = set(re.findall(r"env_\w+\(\s*\"([A-Z_]+)\"", settings_source))
    assert sorted(set(web["environment"]) - read) == []
    assert {"WIKI_SITE_URL", "EMAIL_BACKEND", "EMAIL_HOST", "SECURE_COOKIES"} <= set(web["environment"])


@pytest.mark.django_db
def test_the_health_endpoint_answers_whatever_the_host_and_without_redirecting(client, settings):
    settings.ALLOWED_HOSTS = ["wiki.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz/", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_the_health_endpoint_says_503_when_the_database_does_not_answer(client, monkeypatch):
    from wiki import middleware

    monkeypatch.setattr(middleware, "_database_answers", lambda: False)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.content == b"down: the database does not answer\n"


@pytest.mark.django_db
def test_setup_demo_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("setup_demo")
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_the_role_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Reader", "Editor", "Reviewer", "Moderator"}


def test_the_dockerfile_collectstatic_step_runs_with_the_settings():
    """The image build imports the real settings with only what its RUN line sets."""
    line = next(
        line
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.startswith("RUN ") and "collectstatic" in line
    )
    words = shlex.split(line.removeprefix("RUN "))
    assignments = dict(word.split("=", 1) for word in words if "=" in word and not word.startswith("-"))
    command = [word for word in words if "=" not in word or word.startswith("-")]
    assert command[:3] == ["python", "manage.py", "collectstatic"], command
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    result = subprocess.run(
        [sys.executable, *command[1:], "--dry-run"],
        cwd=ROOT,
        env={**env, **assignments},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_the_readme_documents_every_environment_variable_the_settings_read():
    settings_source = (ROOT / "wiki" / "settings.py").read_text()
    names = set(re.findall(r"env_\w+\(\s*\"([A-Z_]+)\"", settings_source))
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= names
    readme = (ROOT / "README.md").read_text()
    assert sorted(name for name in names if f"`{name}`" not in readme) == []


def test_the_redis_cache_reuses_one_client_and_still_works():
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from wiki.cache import RedisCache

    cache = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": f"reuse-{os.getpid()}"})
    try:
        assert cache._cache.get_client() is cache._cache.get_client(write=True)
        cache.set("a", {"page": "bytes"}, 30)
        assert cache.get("a") == {"page": "bytes"}
        assert cache.get_many(["a", "missing"]) == {"a": {"page": "bytes"}}
        assert cache.add("n", 0, 30) and cache.incr("n") == 1
    finally:
        cache.clear()
