import pytest


def pytest_collection_modifyitems(items):
    """Every test gets the database unless marked no_django_db (pure rules)."""
    for item in items:
        if item.get_closest_marker("no_django_db") is None and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
