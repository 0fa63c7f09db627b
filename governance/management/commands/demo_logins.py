"""Create the demo's logins (regie, ind, viewer, admin) with one password, and print them."""

import os
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand

from governance.accounts.services import save_portal_user
from governance.models import Organisation, Role

LOGINS = [
    ("regie", "JENV", Role.REGIE),
    ("ind", "IND", Role.PARTNER),
    ("coa", "COA", Role.PARTNER),
    ("viewer", "JENV", Role.VIEWER),
    ("admin", "JENV", Role.ADMIN),
]


class Command(BaseCommand):
    help = "Create the demo logins with a password from PORTAL_PASSWORD or a new random one."

    def handle(self, *args, **options):
        password = os.environ.get("PORTAL_PASSWORD") or secrets.token_urlsafe(9)
        for username, code, role in LOGINS:
            save_portal_user(
                username=username,
                organisation=Organisation.objects.get(code=code),
                role=role,
                password=password,
            )
        line = "─" * 60
        self.stdout.write(line)
        self.stdout.write("Ketenportaal demo: http://127.0.0.1:8000/")
        for username, code, role in LOGINS:
            self.stdout.write(f"  login {username:<7} ({code}, {role})")
        self.stdout.write(f"  password for all: {password}")
        required = ", ".join(sorted(settings.MFA_REQUIRED_ROLES))
        if required:
            self.stdout.write(
                f"  roles {required} set up an authenticator app (TOTP) at their first login"
            )
        self.stdout.write(line)
