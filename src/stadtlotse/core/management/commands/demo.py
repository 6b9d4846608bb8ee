from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from stadtlotse.core.models import Municipality
from stadtlotse.demo.loader import DEMO_PASSWORD, existing_logins, load_demo


class Command(BaseCommand):
    help = "Create or migrate the demo database, load the demo data if it is empty, and serve the app."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port on 127.0.0.1 (default 8000)")
        parser.add_argument("--db", default="stadtlotse-demo.sqlite3", help="SQLite file of the demo")
        parser.add_argument("--no-serve", action="store_true", help="Prepare the database, then stop")

    def handle(self, *args, port, no_serve, **options):
        db = settings.DATABASES["default"]["NAME"]
        self.stdout.write(f"Database: {db}")
        call_command("migrate", interactive=False, verbosity=0)
        if Municipality.objects.exists():
            self.stdout.write("The database already holds data; the demo data was not loaded again.")
            self._print_logins(existing_logins())
        else:
            logins = load_demo()
            self.stdout.write(f"Demo data loaded: {Municipality.objects.count()} municipalities.")
            self._print_logins(logins)
        if no_serve:
            return
        from stadtlotse.core.server import run

        self.stdout.write(self.style.SUCCESS(f"Stadtlotse runs at http://127.0.0.1:{port}/  (Ctrl+C stops it)"))
        self.stdout.write(f"Demo logins: user names as listed, password '{DEMO_PASSWORD}' for all.")
        run(host="127.0.0.1", port=port)

    def _print_logins(self, logins):
        self.stdout.write(f"\nDemo logins (password for all: '{DEMO_PASSWORD}'):")
        for login in logins:
            self.stdout.write(f"  {login.username:<26} {login.municipality:<14} {login.role}")
        self.stdout.write("")
