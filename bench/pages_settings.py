"""Settings of the production server that ``bench_pages`` measures over HTTP: the project's own
settings (production mode, from the environment as always) with the benchmark's URLconf, which
adds the floor view (``bench.urls``) so that the floor goes through the same server and stack."""

from stadtlotse.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
