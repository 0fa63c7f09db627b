"""Create or update a portal user: `portal_user NAME --organisation CODE --role ROLE [--token]`."""

import os

from django.core.management.base import BaseCommand, CommandError

from governance.accounts.services import save_portal_user
from governance.models import Organisation, Role


class Command(BaseCommand):
    help = (
        "Create or update a user in an organisation with a role. The password comes from "
        "PORTAL_PASSWORD when set. With --token, the last line of output is a new API token."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="IND, COA, DTV, POL, JENV, …")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--token", action="store_true", help="print a new API token")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, organisation, role, token, email, **options):
        try:
            org = Organisation.objects.get(code=organisation.upper())
        except Organisation.DoesNotExist as exc:
            codes = ", ".join(Organisation.objects.values_list("code", flat=True))
            raise CommandError(f"Unknown organisation {organisation!r}; known: {codes}") from exc
        user, created, api_token = save_portal_user(
            username=username,
            organisation=org,
            role=role,
            password=os.environ.get("PORTAL_PASSWORD") or None,
            email=email,
            with_token=token,
        )
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} user {user.username} ({org.code}, {role}).")
        if api_token:
            self.stdout.write(api_token)
