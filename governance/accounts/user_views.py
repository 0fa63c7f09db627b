"""The functional administrator's user pages: the list, and one form that adds or changes a
user with their organisation and role (`services.create_portal_user`, `update_portal_user`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from governance.models import Organisation, Role
from ketenportaal.editing import edit_page
from ketenportaal.htmx import render_page
from ketenportaal.http import AuthenticatedHttpRequest

from . import roles, services
from .user_forms import PortalUserForm

PAGE_SIZE = 100


@login_required
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every user with their organisation, role and whether they may log in; filters by
    organisation, role, status and a search over name and e-mail (htmx swaps the table)."""
    roles.require_admin(request.user)
    users = get_user_model().objects.select_related("membership__organisation").order_by("username")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    organisation = request.GET.get("organisatie", "")
    if organisation:
        users = users.filter(membership__organisation__code=organisation)
    role = request.GET.get("rol", "")
    if role in Role.values:
        users = users.filter(membership__role=role)
    status = request.GET.get("status", "")
    if status in ("actief", "gedeactiveerd"):
        users = users.filter(is_active=status == "actief")
    total = users.count()
    context = {
        "users": users[:PAGE_SIZE],
        "total": total,
        "truncated": total > PAGE_SIZE,
        "organisations": Organisation.objects.order_by("code"),
        "roles": Role.choices,
        "filters": {"q": query, "organisatie": organisation, "rol": role, "status": status},
    }
    return render_page(request, "accounts/users.html", context, partial="table")


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a user (with organisation and role) or change one; deactivation is the "may log in"
    switch. Sessions of a user whose rights change end at once (the service's guarantee)."""
    instance = get_object_or_404(get_user_model(), pk=pk) if pk else None
    form = PortalUserForm(request.POST or None, instance=instance)

    def save(form: PortalUserForm):
        user = _save(form)
        if form.cleaned_data.get("invite"):
            if services.send_invitation(
                user=user,
                protocol="https" if request.is_secure() else "http",
                domain=request.get_host(),
            ):
                messages.info(
                    request,
                    _("De uitnodiging is naar %(email)s gestuurd.") % {"email": user.email},
                )
            else:
                messages.warning(
                    request,
                    _(
                        "De uitnodiging kon niet worden verstuurd; probeer het later opnieuw "
                        "door de gebruiker te wijzigen."
                    ),
                )
        return user

    def _save(form: PortalUserForm):
        data = form.cleaned_data
        if instance is None:
            return services.create_portal_user(
                username=data["username"],
                organisation=data["organisation"],
                role=data["role"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                by=request.user,
            )
        return services.update_portal_user(
            user=form.save(commit=False),
            organisation=data["organisation"],
            role=data["role"],
            by=request.user,
        )

    return edit_page(
        request,
        require=roles.require_admin,
        form=form,
        save=save,
        title=(
            _("Gebruiker %(name)s wijzigen") % {"name": instance.get_username()}
            if instance
            else _("Nieuwe gebruiker")
        ),
        cancel_url=reverse("users"),
        success_url=lambda user: reverse("users") + f"#gebruiker-{user.pk}",
    )
