"""What a server process does once at start instead of on its first requests (issue #14).

A fresh process used to make its first visitors pay for: importing every view and the API schemas with the URLconf
(≈ 0.6 s), building the reverse-lookup tables (≈ 0.1 s), compiling the templates a page uses (≈ 0.1 s a page) and
reading the in-memory commune index (≈ 0.3 s, ``ceres.referentiels.communes``). ``warm_up`` does all of it when the
WSGI application is loaded (``config/wsgi.py``): with gunicorn's ``preload_app`` that is once, in the master, and every
worker forked from it (including those recycled after ``max_requests``) starts warm.

Then the objects built so far (≈ 200,000: modules, URL patterns, templates, the commune index) are frozen out of the
garbage collector (``gc.freeze``): they live as long as the process, and each full collection walked them all, a
pause of 100 to 300 ms that fell on whichever request triggered it (the p95 of the page bench). Frozen before the
fork, their memory pages also stay shared between the workers.
"""

import gc
import logging
import os
import time

from django.db import DatabaseError, connections
from django.forms.renderers import get_default_renderer
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver

logger = logging.getLogger(__name__)


def _resolvers(resolver):
    yield resolver
    for _, sub in resolver.namespace_dict.values():
        yield from _resolvers(sub)


def _template_backends():
    from ceres.core.forms import dsfr_renderer

    yield from engines.all()
    # Widgets and form fields are rendered by the engine of their form renderer.
    yield get_default_renderer().engine
    yield dsfr_renderer().engine


def compile_templates() -> int:
    """Every template the project can render, compiled into the cached loader of its engine."""
    count = 0
    for backend in _template_backends():
        engine = backend.engine
        dirs = [*engine.dirs, *(get_app_template_dirs("templates") if engine.app_dirs else ())]
        for directory in dirs:
            for root, _, files in os.walk(directory):
                for file in files:
                    name = os.path.relpath(os.path.join(root, file), directory)
                    try:
                        backend.get_template(name)
                    except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError):
                        continue  # not a template (an image…) or one for a library not installed here
                    count += 1
    return count


def warm_up() -> None:
    from ceres.referentiels import communes

    started = time.perf_counter()
    for resolver in _resolvers(get_resolver()):
        resolver.reverse_dict  # noqa: B018 (imports the URLconf and builds the reverse tables)
    templates = compile_templates()
    try:
        communes.memory_index()
    except DatabaseError as error:  # database not migrated yet, or unreachable: the first search will build it
        logger.warning("Index des communes non préparé au démarrage : %s", error)
    # Connections opened here must not be shared by the processes forked from this one.
    connections.close_all()
    gc.collect()
    gc.freeze()
    logger.info("Processus préparé en %.0f ms (%d gabarits)", (time.perf_counter() - started) * 1000, templates)
