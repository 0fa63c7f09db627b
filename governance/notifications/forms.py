from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from governance.models import MailPreference


class PreferenceForm(forms.Form):
    mail = forms.ChoiceField(
        label=_("Meldingen per e-mail"),
        choices=MailPreference.choices,
        widget=forms.RadioSelect,
        help_text=_("Meldingen staan altijd in het portaal; hier kiest u of en hoe ze u mailen."),
    )
    language = forms.ChoiceField(
        label=_("Taal van de e-mails"),
        choices=settings.LANGUAGES,
    )
