from django.db import models


class TaskHeartbeat(models.Model):
    """Last sign of life of the worker running a task (one row per running DBTaskResult, deleted when it ends).

    No foreign key to django-tasks-db's table: results are pruned on their own schedule, and a heartbeat left by a
    dead worker is exactly what the takeover looks for.
    """

    task_id = models.UUIDField("tâche", primary_key=True)
    worker_id = models.CharField("worker", max_length=64)
    beat_at = models.DateTimeField("dernier battement", db_index=True)
    started_at = models.DateTimeField("début", auto_now_add=True)

    class Meta:
        verbose_name = "battement de worker"
        verbose_name_plural = "battements de workers"

    def __str__(self):
        return f"{self.task_id} ({self.worker_id}, {self.beat_at:%d/%m/%Y %H:%M:%S})"
