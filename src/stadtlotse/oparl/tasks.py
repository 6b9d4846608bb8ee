"""Background tasks of the OParl part."""

from django_tasks import task


@task(takes_context=True)
def run_import(context, run_id: int) -> str:
    """Run a queued import; its row records progress, counts and problems as it goes.

    A run that is already running is left alone, unless this is a retry of the task after its
    worker died mid-run (``core.taskrecovery``): then the import runs again from the start,
    which is safe because it is idempotent (objects are found again by their OParl id).
    """
    from .importer import run as runner
    from .models import ImportRun, RunStatus

    run = ImportRun.objects.select_related("municipality", "requested_by").get(pk=run_id)
    resumable = run.status == RunStatus.RUNNING and context.attempt > 1
    if run.status != RunStatus.QUEUED and not resumable:
        return run.status
    runner.execute(run)
    return run.status
