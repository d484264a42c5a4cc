from config.env import env
from config.settings.base import *  # noqa: F403

DEBUG = True
# Tasks run in the request by default so `make run` needs no worker; set
# CERES_TASKS_BACKEND=django_tasks_db.DatabaseBackend (server and `make worker`) to try the real queue.
TASKS = {
    "default": {"BACKEND": env("CERES_TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend")}
}
