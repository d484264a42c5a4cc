from tests.permissions.matrix import Case, logged_in


def cases(world):
    return [Case("notifications:notification_list", expected=logged_in(200))]
