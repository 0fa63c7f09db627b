"""Account pages: the second factor (set-up, verify, recovery code), the account overview with
"log out everywhere", and the password pages (Django's views with our templates)."""

from __future__ import annotations

import logging
import smtplib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from governance.models import AuditAction, LoginSession
from ketenportaal.http import AuthenticatedHttpRequest

from . import audit, mfa, roles, sessions

logger = logging.getLogger(__name__)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code uit uw authenticator-app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class RecoveryForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Herstelcode"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )


def _next_url(request: AuthenticatedHttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up an authenticator: scan the QR code (or type the key), confirm with a code; then
    the recovery codes are shown, once."""
    if mfa.has_second_factor(request.user) and not mfa.session_is_verified(request):
        return redirect(f"{reverse('mfa-verify')}?next={_next_url(request)}")
    device = mfa.pending_totp_device(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_totp_device(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "first_time": True},
            )
        form.add_error(
            "code",
            _(
                "Deze code klopt niet. Controleer de tijd op uw telefoon en probeer de nieuwste code."
            ),
        )
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr_code": mfa.qr_code_data_uri(device),
            "manual_key": mfa.manual_key(device),
            "required": mfa.is_required_for(request.user),
            "next": _next_url(request),
        },
        status=200 if request.method == "GET" or form.is_valid() else 400,
    )


def _verify(request: AuthenticatedHttpRequest, *, recovery: bool) -> HttpResponse:
    if not mfa.has_second_factor(request.user):
        return redirect(f"{reverse('mfa-setup')}?next={_next_url(request)}")
    form = (RecoveryForm if recovery else CodeForm)(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            verified = mfa.verify_code(
                request=request, code=form.cleaned_data["code"], recovery=recovery
            )
        except mfa.LockedOut:
            return render(request, "registration/locked_out.html", status=403)
        if verified:
            if recovery:
                left = mfa.remaining_recovery_codes(request.user)
                messages.warning(
                    request,
                    _(
                        "U bent ingelogd met een herstelcode. U heeft nog %(left)s herstelcodes; "
                        "maak nieuwe aan op uw accountpagina als u uw telefoon kwijt bent."
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _("Deze herstelcode klopt niet of is al gebruikt.")
            if recovery
            else _("Deze code klopt niet. Probeer de nieuwste code uit uw app."),
        )
        status = 400
    template = "accounts/mfa_recovery.html" if recovery else "accounts/mfa_verify.html"
    return render(request, template, {"form": form, "next": _next_url(request)}, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The second step of logging in: a code from the authenticator app."""
    return _verify(request, recovery=False)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_recovery(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The second step with a single-use recovery code, for a lost phone."""
    return _verify(request, recovery=True)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The account overview: role, second factor, sessions; new recovery codes, removing the
    second factor (where not required) and logging out everywhere."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "recovery_codes" and mfa.has_second_factor(request.user):
            codes = mfa.regenerate_recovery_codes(request=request)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": reverse("account"), "first_time": False},
            )
        if action == "remove_mfa" and not mfa.is_required_for(request.user):
            mfa.remove_second_factor(request=request)
            messages.success(request, _("Uw tweede factor is verwijderd."))
            return redirect("account")
        messages.error(request, _("Onbekende opdracht."))
        return redirect("account")
    return render(
        request,
        "accounts/account.html",
        {
            "role": roles.membership_of(request.user),
            "has_mfa": mfa.has_second_factor(request.user),
            "mfa_required": mfa.is_required_for(request.user),
            "recovery_left": mfa.remaining_recovery_codes(request.user),
            "sessions": LoginSession.objects.filter(user=request.user)[:20],
            "current_session": request.session.session_key,
        },
    )


@login_required
@require_POST
def log_out_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    """End every other session of this user and revoke their API tokens."""
    ended, revoked = sessions.log_out_everywhere(request=request)
    messages.success(
        request,
        _(
            "U bent overal uitgelogd: %(sessions)s andere sessie(s) beëindigd, %(tokens)s API-token(s) ingetrokken."
        )
        % {"sessions": ended, "tokens": revoked},
    )
    audit.record(action=AuditAction.LOGOUT_EVERYWHERE, actor=request.user, request=request)
    return redirect("account")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by mail, audited (the address asked for is not shown to the asker)."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        audit.record(
            action=AuditAction.PASSWORD_RESET_REQUESTED,
            request=self.request,
            detail={"users": len(list(form.get_users(form.cleaned_data["email"])))},
        )
        try:
            return super().form_valid(form)
        except (OSError, smtplib.SMTPException):
            # The asker learns nothing either way; the operator reads the log.
            logger.exception("The password reset mail could not be sent")
            return redirect(self.success_url)
