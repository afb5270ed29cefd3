"""Settings for the test suite: the real settings with a test key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_COOKIES", "0")
# Tasks run right after the commit; tests of the database queue switch to it themselves.
os.environ.setdefault("TASKS_BACKEND", "immediate")

from wiki.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Many tests search anonymously from one address; the rate limit's own test lowers this.
SEARCH_ANONYMOUS_PER_MINUTE = 10_000
# The suite runs in one process, where the page cache in local memory is never stale.
WIKI_PAGE_CACHE = True
