"""Settings of the real worker subprocesses started by test_worker_crash.py: the test database, a real queue, and
e-mails written to files (one file per message) so the test counts what left, across processes."""

import os

from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["CERES_TEST_MAIL_DIR"]
MEDIA_ROOT = os.environ["CERES_MEDIA_ROOT"]
