"""Background runs of the candidates imports centres launch from the browser (ceres.core.imports)."""

from django_tasks import task

from ceres.candidats.importers import import_candidats_bilan
from ceres.candidats.models import ImportCandidats
from ceres.core import imports


@task()
def run_candidats_import(job_id: int) -> str:
    """The check (dry run) or the application the job waits for; the candidates created are followed by its centre."""
    job = ImportCandidats.objects.select_related("centre", "created_by", "applied_by").get(pk=job_id)
    by = job.applied_by if job.status in imports.APPLYING else job.created_by

    def importer(data, *, wet_run, progress):
        return import_candidats_bilan(data, by=by, centre=job.centre, wet_run=wet_run, progress=progress)

    return imports.execute(ImportCandidats, job_id, importer, operation="import_candidats")
