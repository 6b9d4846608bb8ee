"""Background tasks of participation."""

from django_tasks import task


@task()
def send_digests() -> int:
    """The office's daily digest of new comments per phase (see services.send_digests)."""
    from . import services

    return services.send_digests()
