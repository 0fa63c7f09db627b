"""The one user form of the functional administrator: who someone is, their organisation and
their role, and whether they may log in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from governance.models import Organisation, Role

from . import roles


class OrganisationChoiceField(forms.ModelChoiceField):
    """An organisation by its code and its name in the user's language."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} – {obj.display_name}"


class PortalUserForm(forms.ModelForm):
    organisation = OrganisationChoiceField(
        Organisation.objects.order_by("code"), label=_("Organisatie")
    )
    role = forms.ChoiceField(
        choices=Role.choices,
        label=_("Rol"),
        help_text=_(
            "Regie beheert de structuur en beoordeelt aanleveringen; een ketenpartner levert "
            "cijfers en voortgang van de eigen organisatie; een meelezer leest; de functioneel "
            "beheerder beheert gebruikers."
        ),
    )

    class Meta:
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email", "is_active"]
        labels = {
            "username": _("Gebruikersnaam"),
            "first_name": _("Voornaam"),
            "last_name": _("Achternaam"),
            "email": _("E-mailadres"),
            "is_active": _("Mag inloggen"),
        }
        help_texts = {
            "username": _("Letters, cijfers en @ . + - _; kan later niet wijzigen."),
            "is_active": _(
                "Uit: de gebruiker is gedeactiveerd; de sessies en API-tokens vervallen direct. "
                "Wat de gebruiker deed, blijft op naam staan."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _(
            "Hierheen gaat de e-mail om een wachtwoord in te stellen."
        )
        if self.instance.pk is None:
            del self.fields["is_active"]
            self.fields["invite"] = forms.BooleanField(
                label=_("Stuur een uitnodiging om een wachtwoord te kiezen"),
                required=False,
                initial=True,
                help_text=_(
                    "Zonder uitnodiging logt de gebruiker in met single sign-on, of stuurt u "
                    "later een uitnodiging door deze gebruiker te wijzigen."
                ),
            )
        else:
            self.fields["invite"] = forms.BooleanField(
                label=_("Stuur (opnieuw) een uitnodiging om een wachtwoord te kiezen"),
                required=False,
            )
            self.fields["username"].disabled = True
            membership = roles.membership_of(self.instance)
            if membership is not None:
                self.initial.setdefault("organisation", membership.organisation_id)
                self.initial.setdefault("role", membership.role)
