import pytest


def pytest_collection_modifyitems(items):
    """Every test gets the database unless marked no_django_db (pure rules)."""
    for item in items:
        if item.get_closest_marker("no_django_db") is None and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    """Permission world (tests/permissions/world.py): two regions, three UD, one user per role key."""
    from tests.permissions.world import build_world

    return build_world()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit and lockout counters live in the cache: every test starts without any."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _allow_test_flush(sender, connection, **kwargs):
    # Transactional tests end with a TRUNCATE of every table (Django's flush); the journal's trigger refuses
    # TRUNCATE unless this maintenance setting is on (ceres/core/migrations/0002). Test connections only.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET ceres.maintenance = 'on'")


def pytest_configure(config):
    from django.db.backends.signals import connection_created

    connection_created.connect(_allow_test_flush, dispatch_uid="ceres-test-flush")
