"""Background runs of the jurors' reprise deposited from the browser (ceres.core.imports)."""

from django_tasks import task

from ceres.core import imports
from ceres.jurys.models import ImportReprise
from ceres.jurys.reprise import import_reprise_bilan


@task()
def run_reprise_import(job_id: int) -> str:
    """The check (dry run) or the application the job waits for; a UD agent's jurors of another UD are rejected."""
    job = ImportReprise.objects.select_related("ud", "created_by", "applied_by").get(pk=job_id)
    by = job.applied_by if job.status in imports.APPLYING else job.created_by

    def importer(data, *, wet_run, progress):
        return import_reprise_bilan(data, by=by, ud=job.ud, wet_run=wet_run, progress=progress)

    return imports.execute(ImportReprise, job_id, importer, operation="import_reprise_jurys")
