from django.contrib import admin

from ceres.jobs.models import TaskHeartbeat


@admin.register(TaskHeartbeat)
class TaskHeartbeatAdmin(admin.ModelAdmin):
    """Written by the workers (ceres.jobs.services): shown to see which worker runs what and since when."""

    list_display = ["task_id", "worker_id", "beat_at", "started_at"]
