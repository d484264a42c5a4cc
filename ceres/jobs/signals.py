from django.dispatch import Signal

# Sent inside the takeover transaction: business rows that store a task id (lots, sendings) point to the new one.
task_taken_over = Signal()  # old_id, new_id, task, args
