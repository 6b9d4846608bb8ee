"""Background tasks of the OParl part."""

from django_tasks import task


@task()
def run_import(run_id: int) -> str:
    """Run a queued import; its row records progress, counts and problems as it goes."""
    from .importer import run as runner
    from .models import ImportRun, RunStatus

    run = ImportRun.objects.select_related("municipality", "requested_by").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run.status
    runner.execute(run)
    return run.status
