"""Settings for Chapterwise, read from the environment (see README.md)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from notes.lib.sso import parse_role_map
from wiki.env import env_bool, env_choice, env_int, env_list, env_str, env_url
from wiki.sso import sso_form_action_origins, sso_providers

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not ALLOWED_HOSTS:
    # Without it every request is answered "Bad Request (400)", which says nothing about why.
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off, e.g. wiki.example.com")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS must list origins like https://wiki.example.com; got {_origin!r}"
        )

# Anonymous visitors may read books, chapters and history when this is on.
WIKI_PUBLIC_READ = env_bool("WIKI_PUBLIC_READ", True)
# Searches an anonymous visitor (one address) may run per minute; past it they get a 429.
# Calls to /api/v1/ per token (or signed-in user, or address) per window: "<count>/<second|minute|hour|day>".
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/hour")
SEARCH_ANONYMOUS_PER_MINUTE = env_int("SEARCH_ANONYMOUS_PER_MINUTE", 30, minimum=1)
# One-person teams may let authors approve their own change requests.
WIKI_ALLOW_SELF_APPROVAL = env_bool("WIKI_ALLOW_SELF_APPROVAL", False)
# Where the site is reached from outside: links in e-mails (mention notifications) start with it.
WIKI_SITE_URL = env_url("WIKI_SITE_URL", "http://localhost:8000", schemes=("http", "https"))
# Days an invitation from /people/ stays valid; resending it starts the days again.
INVITATION_DAYS = env_int("INVITATION_DAYS", 7, minimum=1)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "markdownx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    # django-ninja's templates and static files: the API's docs page is served from ours.
    "ninja",
    "notes",
    # Sign-in, e-mail addresses, single sign-on and two-factor (docs/SSO.md).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    "allauth.mfa",
]

MIDDLEWARE = [
    "wiki.middleware.HealthCheck",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous book and chapter pages kept in the cache are answered here, before the rest.
    "wiki.middleware.AnonymousPages",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wiki.middleware.LoadedUser",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After the session's user is known: admins and moderators enrol before anything else.
    "notes.auth.middleware.TwoFactorRequiredForStaff",
    "wiki.middleware.SiteNotFoundPageInDebug",
    "wiki.middleware.RejectNulCharacters",
    "wiki.middleware.RefuseEmptyAdminToField",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wiki.middleware.ContentSecurityPolicy",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wiki.middleware.PrivateCacheForSignedInUsers",
    "wiki.middleware.ActivateUserTimeZone",
    # Last, as django-axes asks: it turns a lockout raised during login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wiki.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notes.context_processors.wiki",
                "notes.auth.context.sign_in",
            ],
        },
    },
]

WSGI_APPLICATION = "wiki.wsgi.application"
ASGI_APPLICATION = "wiki.asgi.application"

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Read whatever the database, so a typo is caught before the switch to PostgreSQL.
DATABASE_POOL_MAX_SIZE = env_int("DATABASE_POOL_MAX_SIZE", 10, minimum=1)
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=0, conn_health_checks=True)
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {error}") from None
if _database["ENGINE"] == "django.db.backends.postgresql":
    if not _database["NAME"]:
        raise ImproperlyConfigured(
            "DATABASE_URL must name the database, like postgres://user:password@host:5432/chapterwise"
        )
    # psycopg 3's connection pool; Django then must not keep its own persistent connections.
    # Both waits stay well under gunicorn's 30 s worker timeout, so a database that is down
    # gives a 503 page (and /healthz/ "down") instead of a killed worker.
    _database["OPTIONS"] = {
        "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=1),
        "pool": {
            "min_size": 1,
            "max_size": DATABASE_POOL_MAX_SIZE,
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10, minimum=1),
        },
    }
    _database["CONN_MAX_AGE"] = 0
elif _database["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: a write transaction takes the database lock when it begins
    # (IMMEDIATE), so two requests writing at once queue up instead of one failing with
    # "database is locked"; WAL lets readers go on meanwhile.
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    raise ImproperlyConfigured(
        f"DATABASE_URL must point at PostgreSQL or SQLite; got engine {_database['ENGINE']}"
    )
DATABASES = {"default": _database}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / "media"

AUTHENTICATION_BACKENDS = [
    "wiki.auth.LoginThrottleBackend",  # refuses a locked-out account or address first
    "wiki.auth.UserWithRolesBackend",  # passwords, and each request's user read with their roles
    # Sessions made before UserWithRolesBackend name Django's own: they stay signed in.
    "django.contrib.auth.backends.ModelBackend",
    # Logins by e-mail address and single sign-on (django-allauth), the user from the cache.
    "wiki.auth.AllauthWithRolesBackend",
    # Sessions made before AllauthWithRolesBackend name allauth's own: they stay signed in.
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Login throttling (django-axes) on /accounts/login/ and /admin/login/: after
# LOGIN_FAILURE_LIMIT wrong passwords for one username from one address, that username is
# refused from that address for LOGIN_COOLOFF_MINUTES; after LOGIN_ADDRESS_FAILURE_LIMIT
# from one address, whatever the usernames, the address is. So nobody locks a person out
# by typing their name from elsewhere, and one guesser does not lock out everyone behind
# the same NAT. Which address a request is: wiki.auth.client_ip (docs/DEPLOYING.md).
# Attempts are kept in the database (with or without Redis); an admin unlocks early by
# deleting them in Django admin ("Access attempts"). A successful login clears that
# visitor's count.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 100, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# In this order: wiki.auth.LoginThrottleHandler gives each its own limit.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "wiki.auth.client_ip"
AXES_USERNAME_CALLABLE = "wiki.auth.client_username"
AXES_HANDLER = "wiki.auth.LoginThrottleHandler"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in and sign-up (django-allauth; every variable is explained in docs/SSO.md).
# Who may create an account: "closed" (invitations only), "domains" (addresses in
# SIGNUP_DOMAINS), "approval" (anyone; the account waits for an admin at /people/signups/).
SIGNUP_POLICY = env_choice("SIGNUP_POLICY", "closed", ("closed", "domains", "approval"))
SIGNUP_DOMAINS = [domain.lower().lstrip("@") for domain in env_list("SIGNUP_DOMAINS", [])]
if SIGNUP_POLICY == "domains" and not SIGNUP_DOMAINS:
    raise ImproperlyConfigured("SIGNUP_POLICY=domains needs SIGNUP_DOMAINS, e.g. example.com,example.org")
# Off: the login page offers single sign-on only, and password reset and sign-up are closed.
SSO_LOCAL_PASSWORDS = env_bool("SSO_LOCAL_PASSWORDS", True)
# Admins and moderators must set up two-factor before they use the site.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", False)

ACCOUNT_ADAPTER = "notes.auth.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "notes.auth.adapters.SocialAccountAdapter"
ACCOUNT_FORMS = {"login": "notes.forms.accounts.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Password reset and sign-up answer the same whether an address has an account or not.
ACCOUNT_PREVENT_ENUMERATION = True
# A domain-restricted sign-up is only as good as the proof that the address is the
# person's: with that policy every account confirms its address before it is used.
ACCOUNT_EMAIL_VERIFICATION = "mandatory" if SIGNUP_POLICY == "domains" else "optional"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Chapterwise] "
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL
# A signed-in visitor sent to log in (a page needs another role) gets the form, as with
# Django's login view, rather than a redirect back to the page that sent them.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
# Sessions last as they did before allauth (SESSION_COOKIE_AGE): no "remember me" box.
ACCOUNT_SESSION_REMEMBER = True
# django-axes throttles wrong passwords (above); allauth's own counter would answer first
# with a different page and hide axes' lockout.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# An SSO identity joins an existing account only through an address the provider has
# verified; unverified addresses are refused (notes.auth.adapters).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
if env_str("SSO_OIDC_CLIENT_ID") and not env_str("SSO_OIDC_SERVER_URL"):
    raise ImproperlyConfigured(
        "SSO_OIDC_CLIENT_ID needs SSO_OIDC_SERVER_URL, the provider's issuer URL "
        "(e.g. https://keycloak.example.org/realms/acme)"
    )
SOCIALACCOUNT_PROVIDERS = sso_providers(
    oidc_id=env_str("SSO_OIDC_ID", "sso"),
    oidc_name=env_str("SSO_OIDC_NAME", "Single sign-on"),
    oidc_server_url=env_url("SSO_OIDC_SERVER_URL", "", schemes=("https", "http")),
    oidc_client_id=env_str("SSO_OIDC_CLIENT_ID"),
    oidc_client_secret=env_str("SSO_OIDC_CLIENT_SECRET"),
    github_client_id=env_str("SSO_GITHUB_CLIENT_ID"),
    github_client_secret=env_str("SSO_GITHUB_CLIENT_SECRET"),
    google_client_id=env_str("SSO_GOOGLE_CLIENT_ID"),
    google_client_secret=env_str("SSO_GOOGLE_CLIENT_SECRET"),
)
# Roles from the provider: SSO_ROLE_CLAIM names the claim (e.g. "groups"), SSO_ROLE_MAP
# maps its values to roles ("wiki-editors=Editor,wiki-reviewers=Reviewer"). Applied at
# the first login, and at every login with SSO_ROLE_SYNC=1.
SSO_ROLE_CLAIM = env_str("SSO_ROLE_CLAIM")
try:
    SSO_ROLE_MAP = parse_role_map(env_str("SSO_ROLE_MAP"))
except ValueError as error:
    raise ImproperlyConfigured(f"SSO_ROLE_MAP: {error}") from None
if SSO_ROLE_MAP and not SSO_ROLE_CLAIM:
    raise ImproperlyConfigured("SSO_ROLE_MAP needs SSO_ROLE_CLAIM, the claim that lists groups (e.g. groups)")
SSO_ROLE_SYNC = env_bool("SSO_ROLE_SYNC", False)

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Chapterwise"

REDIS_URL = env_url("REDIS_URL", "", schemes=("redis", "rediss", "unix"))
# How long a cache call may wait for Redis before the page goes on without it.
REDIS_TIMEOUT_MS = env_int("REDIS_TIMEOUT_MS", 500, minimum=1)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "wiki.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_MS / 1000,
                "socket_timeout": REDIS_TIMEOUT_MS / 1000,
            },
        }
    }
    # Sessions read from Redis, written through to the database: one query less on every
    # signed-in page, and nobody is logged out when Redis restarts (it keeps nothing on disk).
    # When Redis is down, wiki.cache.RedisCache answers "not cached" and drops writes, so
    # sessions are read from and saved to the database alone: nobody is logged out either.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Each process keeps a copy of the cache keys every page reads (pages, chapter parts and
# their generations, signed-in users' snapshots, sessions), dropped the moment Redis reports
# a change (wiki.cache): up to CACHE_LOCAL_COPY_MB of memory per process, 0 turns it off.
CACHE_LOCAL_COPIES = {
    "megabytes": env_int("CACHE_LOCAL_COPY_MB", 32, minimum=0),
    # A copy older than this is read from Redis again, whatever Redis said.
    "seconds": 60,
    "keys": ("page", "part:", "viewer", "django.contrib.sessions.cached_db"),
}
# /healthz/ answers within this many seconds, "down" if the database has not answered by then.
HEALTH_CHECK_SECONDS = 1.5
# Whole anonymous pages and chapter parts are cached only in a cache every process shares:
# in each process's own memory, a publish handled by one worker would leave the others
# serving the old page. PAGE_CACHE=1 turns it on without Redis for a single-process server.
WIKI_PAGE_CACHE = env_bool("PAGE_CACHE", bool(REDIS_URL))
# How long a cached page or chapter part may live. Every write expires what it changes; this
# bounds how long a page could stay stale if an expiry was ever lost (Redis down meanwhile).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600, minimum=1)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
try:
    import_string(EMAIL_BACKEND)
except ImportError as error:
    raise ImproperlyConfigured(f"EMAIL_BACKEND cannot be imported: {error}") from None
# The SMTP server, for EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on; pick one")
# Where EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend writes each message.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))
# Days an unsubscribe or "stop watching" link in an e-mail keeps working.
EMAIL_LINK_MAX_AGE_DAYS = env_int("EMAIL_LINK_MAX_AGE_DAYS", 60, minimum=1)
# The sender of notification e-mails.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Chapterwise <chapterwise@localhost>")

# The task queue (django-tasks) that sends notification e-mails after the commit.
# "database": tasks wait in the database for `manage.py db_worker` (the compose file's
# worker service); "immediate": they run in the web process right after the commit, which
# needs no worker (development, `make run`).
TASKS_BACKEND = env_choice("TASKS_BACKEND", "immediate" if DEBUG else "database", ("immediate", "database"))
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}

# Webhooks (docs/WEBHOOKS.md). A failed delivery is tried again after each of these waits
# in turn (seconds), then given up; an endpoint whose attempts failed this many times in a
# row is disabled and its creator told by e-mail.
WEBHOOK_RETRY_DELAYS = [5, 5 * 60, 30 * 60, 2 * 60 * 60, 5 * 60 * 60, 10 * 60 * 60]
WEBHOOK_DISABLE_AFTER_FAILURES = env_int("WEBHOOK_DISABLE_AFTER_FAILURES", 15, minimum=1)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5, minimum=1)
# On: webhooks may go to http:// and to private, loopback and link-local addresses. Only
# for tests and for receivers on the wiki's own trusted network: it lets whoever registers
# a webhook make the server send requests inside that network.
WEBHOOKS_ALLOW_PRIVATE_URLS = env_bool("WEBHOOKS_ALLOW_PRIVATE_URLS", False)

# History: summaries are the changelog lines; they may be longer than 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# Reverting happens through the review workflow, never by the admin's history form.
SIMPLE_HISTORY_REVERT_DISABLED = True

# django-markdownx: the editor widget only. Preview goes through our own renderer
# behind login (notes.views), and markdownx's own URLs are not mounted.
MARKDOWNX_URLS_PATH = "/preview/markdown/"  # notes.views.preview.markdown_preview
MARKDOWNX_MARKDOWNIFY_FUNCTION = "notes.lib.markup.render_markdown"
MARKDOWNX_UPLOAD_MAX_SIZE = 2 * 1024 * 1024
# The editor box keeps its height (resizable by hand, its own scroll): markdownx would grow
# it to the length of the text, pushing Summary and Submit thousands of pixels down.
MARKDOWNX_EDITOR_RESIZABLE = False

# Images in notes come from this site only: an outside image would tell its host the
# address of every reader. Teams that want them anyway set WIKI_ALLOW_OUTSIDE_IMAGES=1.
WIKI_ALLOW_OUTSIDE_IMAGES = env_bool("WIKI_ALLOW_OUTSIDE_IMAGES", False)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", *(["https:"] if WIKI_ALLOW_OUTSIDE_IMAGES else [])],
        # The login page's single sign-on buttons post to us, then redirect to the provider.
        "form-action": ["'self'", *sso_form_action_origins(SOCIALACCOUNT_PROVIDERS)],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Cookies go over HTTPS only, unless DEBUG or SECURE_COOKIES=0 (a plain-HTTP trial deployment).
SECURE_COOKIES = env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = not DEBUG and SECURE_COOKIES
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind a proxy that terminates TLS and sets X-Forwarded-Proto: trust it to say "https".
BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY", False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# HSTS is hard to take back once browsers have seen it: off unless asked for.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
# Asking browsers' preload lists to hard-code HTTPS for the domain: only for a domain
# that will never serve plain HTTP again (it needs SECURE_HSTS_INCLUDE_SUBDOMAINS too).
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
X_FRAME_OPTIONS = "DENY"

LOG_LEVEL = env_choice("LOG_LEVEL", "WARNING", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"ordinary_forbidden": {"()": "wiki.log_filters.OrdinaryForbiddenWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own defaults print its records on a console of their own and then again
        # through the root's: one console for everything, so each record is printed once.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"filters": ["ordinary_forbidden"]},
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
