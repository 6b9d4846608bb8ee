from django.core.management.base import BaseCommand

from stadtlotse.core.server import make_worker


class Command(BaseCommand):
    help = "Run queued background tasks (mails, reminders, imports); --batch stops when the queue is empty."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Stop when no task is waiting")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between looks at an empty queue")

    def handle(self, *args, batch, interval, **options):
        worker = make_worker(interval=interval, batch=batch)
        worker.configure_signals()
        worker.run()
