"""Background runs of the VALCE exports agents deposit from the browser (ceres.core.imports)."""

from django_tasks import task

from ceres.centres.importers.valce import import_valce_bilan
from ceres.centres.models import DepotValce
from ceres.core import imports


@task()
def run_valce_import(job_id: int) -> str:
    """The check (dry run) or the application the deposit waits for; a DREETS agent's lines outside their region are
    rejected, as in the command."""
    job = DepotValce.objects.select_related("region", "created_by", "applied_by").get(pk=job_id)
    by = job.applied_by if job.status in imports.APPLYING else job.created_by

    def importer(data, *, wet_run, progress):
        return import_valce_bilan(
            data, by=by, region=job.region, filename=job.filename, wet_run=wet_run, progress=progress
        )

    return imports.execute(DepotValce, job_id, importer, operation="import_valce_depot")
