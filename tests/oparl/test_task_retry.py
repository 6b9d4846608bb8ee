"""The import task resumes a run left "running" only when it is a retry after a lost worker."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

from stadtlotse.council.models import Paper
from stadtlotse.oparl.importer import run as runner
from stadtlotse.oparl.models import ImportRun, RunStatus
from stadtlotse.oparl.tasks import run_import

from .conftest import SAMPLES


def _running(plauen, tmp_path) -> ImportRun:
    shutil.copytree(SAMPLES / "oparl", tmp_path / "dump")
    run = runner.start_run(municipality=plauen, source=str(tmp_path / "dump"))
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    return run


def test_a_first_attempt_leaves_a_running_run_alone(plauen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    run = _running(plauen, tmp_path)
    assert run_import.enqueue(run.pk).return_value == RunStatus.RUNNING  # run at once in tests
    assert not Paper.objects.filter(municipality=plauen).exists()


def test_a_retry_after_a_lost_worker_runs_the_import_again(plauen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    run = _running(plauen, tmp_path)
    assert run_import.func(SimpleNamespace(attempt=2), run.pk) == RunStatus.DONE_WITH_PROBLEMS
    assert Paper.objects.filter(municipality=plauen).count() == 1
    # and once more: the import is idempotent
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    run_import.func(SimpleNamespace(attempt=3), run.pk)
    assert Paper.objects.filter(municipality=plauen).count() == 1
