"""Single sign-on against a real OpenID Connect provider, and two-factor, in Chromium.

The provider is django-allauth's own (``allauth.idp.oidc``) in a second Django process
started here on loopback (tests/oidc_provider), with its own SQLite file and signing key;
the wiki is pointed at it the way the environment would (``wiki.sso.sso_providers``).
"""

import copy
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model

from tests.factories import make_user
from tests.oidc_provider.seed import CLIENT_ID, CLIENT_SECRET, PASSWORD
from wiki.sso import sso_form_action_origins, sso_providers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_SETTINGS = "tests.oidc_provider.settings"
SHOTS = os.environ.get("SCREENSHOTS")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture
def provider(live_server, tmp_path):
    """The identity provider's base URL, once it answers its discovery document."""
    port = _free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": PROVIDER_SETTINGS,
        "OIDC_PROVIDER_DB": str(tmp_path / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": _private_key_pem(),
        "PYTHONPATH": str(ROOT),
    }
    for name in ("DATABASE_URL", "SECRET_KEY", "DEBUG"):
        environment.pop(name, None)
    run = {"cwd": ROOT, "env": environment, "check": True, "capture_output": True, "timeout": 120}
    subprocess.run([sys.executable, "-m", "django", "migrate", "--verbosity", "0"], **run)
    callback = f"{live_server.url}/accounts/oidc/testidp/login/callback/"
    subprocess.run([sys.executable, "-m", "tests.oidc_provider.seed", callback], **run)
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2):  # noqa: S310
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(
                    f"the provider did not start: {server.stderr.read().decode()[-2000:]}"
                ) from None
            time.sleep(0.2)
    yield url
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture
def wiki_uses_provider(settings, provider):
    settings.SOCIALACCOUNT_PROVIDERS = sso_providers(
        oidc_id="testidp",
        oidc_name="Test Identity",
        oidc_server_url=provider,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
    )
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [
        "'self'",
        *sso_form_action_origins(settings.SOCIALACCOUNT_PROVIDERS),
    ]
    settings.CONTENT_SECURITY_POLICY = policy
    settings.SSO_ROLE_CLAIM = "groups"
    settings.SSO_ROLE_MAP = {"wiki-editors": "Editor"}
    settings.SIGNUP_POLICY = "domains"
    settings.SIGNUP_DOMAINS = ["example.com"]
    return provider


def _sign_in_at_provider(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with Test Identity").click()
    page.wait_for_url("http://127.0.0.1:*/accounts/login/**")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").first.click()


def _shoot(page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


def test_a_person_signs_in_with_single_sign_on_and_gets_the_mapped_role(
    live_server, new_page, wiki_uses_provider
):
    page = new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    _shoot(page, "login-with-sso")
    _sign_in_at_provider(page, live_server, "sam")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".account .username").inner_text() == "sam"
    user = get_user_model().objects.get(email="sam@example.com")
    assert set(user.groups.values_list("name", flat=True)) == {"Reader", "Editor"}
    assert not user.has_usable_password()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("link", name="Log in").is_visible()
    assert page.locator(".account .username").count() == 0


def test_an_address_the_provider_has_not_verified_is_refused(live_server, new_page, wiki_uses_provider):
    page = new_page()
    _sign_in_at_provider(page, live_server, "una")
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    message = page.locator(".message.error").inner_text()
    assert "has not verified the address una@example.com" in message
    _shoot(page, "sso-refused")
    assert not get_user_model().objects.filter(email="una@example.com").exists()


def _code(secret: str, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def test_a_person_sets_up_two_factor_and_logs_in_with_it(live_server, new_page, log_in, settings):
    # One step of clock drift accepted, so the login code can be the next step's: allauth
    # refuses a code used twice, and the enrolment just used this step's.
    settings.MFA_TOTP_TOLERANCE = 1
    make_user("pat", role="Reader", password="a long password")
    page = new_page()
    log_in(page, "pat", "a long password")
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    # allauth asks for the password again before a change to two-factor.
    page.fill("#id_password", "a long password")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert page.get_by_alt_text("QR code to scan with your authenticator app").is_visible()
    _shoot(page, "totp-activate")
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("#id_code", _code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/accounts/2fa/**")
    assert "/activate/" not in page.url

    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "pat")
    page.fill("#id_password", "a long password")
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    _shoot(page, "totp-authenticate")
    page.fill("#id_code", _code(secret, step=1))
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".account .username").inner_text() == "pat"
