"""Settings for `manage.py benchmark`'s gunicorn only: the site plus one trivial view.

The trivial view is the framework's floor the chapter page is measured against; it is
mounted by ``wiki.benchmark_urls``, which only these settings name, so production never
serves it.
"""

from wiki.settings import *  # noqa: F403

ROOT_URLCONF = "wiki.benchmark_urls"
