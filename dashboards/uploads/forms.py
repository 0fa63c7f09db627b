from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from governance.models import Organisation


class UploadForm(forms.Form):
    """A partner uploads for its own organisation; regie chooses on whose behalf."""

    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=Organisation.objects.order_by("code"),
        required=False,
        help_text=_("Regie kan namens elke organisatie aanleveren."),
    )
    file = forms.FileField(
        label=_("Bestand (CSV of XLSX)"),
        # Lazy, so the text follows each request's language (a % here would fix it at import).
        help_text=format_lazy(
            _("Maximaal {mb} MB. Gebruik het sjabloon hieronder voor de juiste kolommen."),
            mb=settings.UPLOAD_MAX_BYTES // (1024 * 1024),
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        error_messages={"required": _("Kies een bestand om aan te leveren.")},
    )

    def __init__(self, *args, regie: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not regie:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].required = True
            self.fields["organisation"].error_messages["required"] = _(
                "Kies de organisatie waarvoor u aanlevert."
            )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van afwijzing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("De partner ziet deze reden bij de aanlevering."),
        error_messages={"required": _("Geef een reden voor de afwijzing; de partner ziet die.")},
    )
