from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import account_views as accounts_views
from . import views as token_views

PASSWORD = {"success_url": reverse_lazy("password_change_done")}

urlpatterns = [
    path("", accounts_views.account, name="account"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("overal-uitloggen/", accounts_views.log_out_everywhere, name="logout-everywhere"),
    path("api-tokens/", token_views.api_tokens, name="api-tokens"),
    path("tweede-factor/", accounts_views.mfa_verify, name="mfa-verify"),
    path("tweede-factor/instellen/", accounts_views.mfa_setup, name="mfa-setup"),
    path("tweede-factor/herstelcode/", accounts_views.mfa_recovery, name="mfa-recovery"),
    path(
        "wachtwoord-wijzigen/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change_form.html", **PASSWORD
        ),
        name="password_change",
    ),
    path(
        "wachtwoord-gewijzigd/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("wachtwoord-vergeten/", accounts_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-hersteld/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
