from django_tasks import task


@task()
def noted(value: int) -> int:
    return value
