"""Settings for sites served from this machine (the demo, tests): no politeness delay."""

from .base import *  # noqa: F401,F403

DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = False
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_TIMEOUT = 10
CLAIMLINE_BACKOFF_START_DELAY = 0.1
