from config.env import env
from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR

DEBUG = True
# `make run` starts the server and one task worker (ceres.jobs db_worker) on the same SQLite file, as production
# runs web and workers apart: imports, lots and e-mails run in the background with their progress bars. The cache
# is shared between the two processes through files (production: Redis). CERES_TASKS_BACKEND=
# django_tasks.backends.immediate.ImmediateBackend runs tasks inside the request instead (no worker needed).
TASKS = {"default": {"BACKEND": env("CERES_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("CERES_DEV_CACHE_DIR", default=str(BASE_DIR / ".cache" / "django")),
    }
}
