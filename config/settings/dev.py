from config.settings.base import *  # noqa: F403

DEBUG = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
