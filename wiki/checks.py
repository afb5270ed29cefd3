"""System checks about the deployment that Django's own ``check --deploy`` cannot know."""

from django.conf import settings
from django.core import checks

from wiki.cache import cache_is_shared


@checks.register(checks.Tags.caches, deploy=False)
def cache_shared_by_the_workers(app_configs=None, **kwargs) -> list:
    """With DEBUG off the site likely runs several workers (the compose file starts three),
    and a cache in each worker's memory is not one cache."""
    if settings.DEBUG or cache_is_shared():
        return []
    if settings.WIKI_PAGE_CACHE:
        return [
            checks.Warning(
                "PAGE_CACHE is on but the cache is in each process's memory: a publish handled by "
                "one worker leaves the others serving the old page for up to PAGE_CACHE_SECONDS.",
                hint="Set REDIS_URL (shared by every worker), or PAGE_CACHE=0, or run a single process.",
                id="wiki.W002",
            )
        ]
    return [
        checks.Warning(
            "The cache is in each process's memory (REDIS_URL is not set): whole pages are not "
            "cached, and the anonymous search limit is counted per worker.",
            hint="Set REDIS_URL to a Redis every worker reaches, e.g. redis://redis:6379/0.",
            id="wiki.W001",
        )
    ]
