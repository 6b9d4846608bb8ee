import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stadtlotse.core import access, services
from stadtlotse.core.models import Role, User


class Command(BaseCommand):
    help = (
        "Create an operator account (all municipalities), or with --municipality an administrator "
        "of one municipality. The password is asked for, or read from STADTLOTSE_ADMIN_PASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--municipality", help="Slug; make the user administrator of this municipality only")

    def handle(self, *args, username, email, municipality, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"The user name {username!r} is taken.")
        target = None
        if municipality:
            try:
                target = access.get_municipality_or_404(municipality)
            except Exception:
                raise CommandError(f"There is no municipality {municipality!r}.") from None
        password = os.environ.get("STADTLOTSE_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        user = User(username=username, email=email, is_superuser=target is None, is_staff=target is None)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        user.set_password(password)
        user.save()
        if target:
            services.grant_role(municipality=target, user=user, role=Role.ADMIN, by=None)
            self.stdout.write(f"Created {username}, administrator of {target.name}.")
        else:
            self.stdout.write(f"Created operator {username}.")
