import os

from django.core.wsgi import get_wsgi_application

from config.warmup import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()
# URLconf, templates and commune index ready before the first request (once in gunicorn's master: preload_app).
warm_up()
