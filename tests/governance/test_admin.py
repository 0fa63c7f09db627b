"""The Django admin is a second door to the same write paths: through its own pages, every save
goes through the services, nothing a user made is deleted, and refused changes change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from actions.models import MilestoneStatus
from dashboards.models import Indicator, Observation, Upload
from governance.accounts.services import save_portal_user
from governance.models import (
    Assignment,
    Board,
    BoardMember,
    BoardRelation,
    ChainGoal,
    DecisionStatus,
    Meeting,
    Membership,
    Role,
    Signal,
    Target,
)
from tests.dashboards.factories import approved_upload
from tests.factories import (
    DecisionFactory,
    MeetingFactory,
    MilestoneFactory,
    board,
    make_signal,
    make_target,
    make_user,
    org,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user, _created, _token = save_portal_user(
        username="beheerder", organisation=org("JENV"), role=Role.ADMIN, password="x"
    )
    client.force_login(user)
    return client


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def delete_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])


def form_data(client, obj) -> dict:
    """The admin change form of `obj` as its page renders it, ready to post back."""
    response = client.get(change_url(obj))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            shown = field.widget.format_value(value)
            data[name] = "" if shown is None else shown
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None and value is not False:
                    data[inline_form.add_prefix(name)] = "on" if value is True else value
    return data


def made_by_users():
    """One of every kind of record users make, which the admin may never delete."""
    decision = DecisionFactory()
    meeting = MeetingFactory()
    target = make_target("COA", "reception_occupancy", "2026", 100, "at_most")
    membership = make_user(Role.PARTNER, "IND", username="partner-ind").membership
    upload = approved_upload("IND", {("asylum_pending", "2024-01", ""): 7})
    return {
        "decision": decision,
        "meeting": meeting,
        "board": board("TB"),
        "member": BoardMember.objects.first(),
        "relation": BoardRelation.objects.first(),
        "goal": ChainGoal.objects.first(),
        "assignment": target.assignment,
        "target": target,
        "signal": make_signal(key="s1", kind="milestone_overdue", organisation=org("IND")),
        "membership": membership,
        "indicator": Indicator.objects.get(code="asylum_pending"),
        "upload": upload,
        "milestone": MilestoneFactory(),
        "user": membership.user,
    }


@pytest.mark.parametrize(
    "kind",
    [
        "decision", "meeting", "board", "member", "relation", "goal", "assignment", "target",
        "signal", "membership", "indicator", "upload", "milestone", "user",
    ],
)  # fmt: skip
def test_the_admin_deletes_nothing_that_users_made(admin_client, kind):
    obj = made_by_users()[kind]
    model_admin = admin.site._registry.get(type(obj))
    if model_admin is None:  # shown only inside its parent's page (board members)
        assert not any(
            type(obj) is inline.model and inline.can_delete
            for registered in admin.site._registry.values()
            for inline in registered.inlines
        )
    else:
        assert admin_client.get(delete_url(obj)).status_code in (403, 404)
        assert admin_client.post(delete_url(obj), {"post": "yes"}).status_code in (403, 404)
        changelist = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
        response = admin_client.get(changelist)
        assert response.status_code == 200
        assert "delete_selected" not in response.content.decode()
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_observations_are_not_in_the_admin_at_all():
    assert Observation not in admin.site._registry


def test_every_inline_of_the_admin_keeps_its_rows():
    for model_admin in admin.site._registry.values():
        for inline in model_admin.inlines:
            assert not inline.can_delete, f"{type(model_admin).__name__}: {inline.__name__}"


def test_a_milestone_set_to_done_in_the_admin_gets_its_completion_date(admin_client):
    milestone = MilestoneFactory(status=MilestoneStatus.IN_PROGRESS)
    data = form_data(admin_client, milestone)
    data["status"] = MilestoneStatus.DONE
    response = admin_client.post(change_url(milestone), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DONE
    assert milestone.completed_on == datetime.date.today()
    assert milestone.percent_complete == 100


def test_a_role_changed_in_the_admin_changes_the_users_admin_access(admin_client):
    user, _c, _t = save_portal_user(username="wisselaar", organisation=org("JENV"), role=Role.ADMIN)
    assert user.is_staff
    membership = Membership.objects.get(user=user)
    data = form_data(admin_client, membership)
    data["role"] = Role.VIEWER
    assert admin_client.post(change_url(membership), data).status_code == 302
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser
    assert Membership.objects.get(user=user).role == Role.VIEWER


def test_a_user_added_in_the_admin_gets_an_organisation_and_a_role(admin_client):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "nieuwe-coa",
            "email": "coa@example.nl",
            "organisation": org("COA").pk,
            "role": Role.PARTNER,
            "password1": "een-lang-genoeg-wachtwoord-2026",
            "password2": "een-lang-genoeg-wachtwoord-2026",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = get_user_model().objects.get(username="nieuwe-coa")
    assert (user.membership.organisation.code, user.membership.role) == ("COA", Role.PARTNER)
    assert not user.is_staff
    assert user.check_password("een-lang-genoeg-wachtwoord-2026")


def test_a_confirmed_decisions_driehoek_flag_cannot_change_in_the_admin(admin_client):
    decision = DecisionFactory(status=DecisionStatus.CONFIRMED, needs_triangle=True)
    data = form_data(admin_client, decision)
    assert "needs_triangle" not in data or data["needs_triangle"] == "on"
    data.pop("needs_triangle", None)  # unticked: the box is not even offered
    data["title"] = "Andere titel"
    response = admin_client.post(change_url(decision), data)
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.needs_triangle is True
    assert decision.title == "Andere titel"


def test_a_decision_moved_to_another_year_in_the_admin_is_refused_and_changes_nothing(
    admin_client,
):
    decision = DecisionFactory(date=datetime.date(2026, 3, 1))
    number = decision.number
    data = form_data(admin_client, decision)
    data["date"] = "2025-12-31"
    response = admin_client.post(change_url(decision), data, follow=True)
    assert "genummerd in 2026" in response.content.decode()
    decision.refresh_from_db()
    assert (decision.number, decision.date) == (number, datetime.date(2026, 3, 1))


def test_a_decisions_status_and_number_are_not_edited_in_the_admin(admin_client):
    decision = DecisionFactory(status=DecisionStatus.PROPOSED)
    data = form_data(admin_client, decision)
    data.update(status=DecisionStatus.IMPLEMENTED, number="TB-1999-01")
    assert admin_client.post(change_url(decision), data).status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED
    assert decision.number != "TB-1999-01"
    assert admin_client.get(reverse("admin:governance_decision_add")).status_code == 403


def test_a_signal_is_only_shown_in_the_admin(admin_client):
    signal = make_signal(key="s1", kind="milestone_overdue", organisation=org("IND"))
    page = admin_client.get(change_url(signal))
    assert page.status_code == 200
    assert admin_client.post(change_url(signal), {"status": "closed"}).status_code == 403
    signal.refresh_from_db()
    assert signal.status == "open"


def test_targets_saved_in_the_admin_go_through_the_steering_service(admin_client):
    target = make_target("COA", "reception_occupancy", "2026", 100, "at_most")
    assignment = target.assignment
    data = form_data(admin_client, assignment)
    prefix = next(k for k in data if k.endswith("-0-period")).removesuffix("-0-period")
    data[f"{prefix}-0-period"] = "2026-13"  # not a year or quarter: the service refuses it
    response = admin_client.post(change_url(assignment), data, follow=True)
    target.refresh_from_db()
    assert target.period == "2026"
    assert response.status_code == 200
    assert Target.objects.filter(assignment=assignment).count() == 1
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_a_board_with_decisions_keeps_its_code_in_the_admin(admin_client):
    DecisionFactory(board=board("TB"))
    topberaad = board("TB")
    data = form_data(admin_client, topberaad)
    data["code"] = "XX"
    response = admin_client.post(change_url(topberaad), data, follow=True)
    assert "voorvoegsel van de besluitnummers" in response.content.decode()
    assert Board.objects.filter(code="TB").exists()


def test_meetings_keep_their_agenda_in_the_admin(admin_client):
    meeting = MeetingFactory()
    meeting.agenda_items.create(order=1, title="Opening")
    data = form_data(admin_client, meeting)
    data["title"] = "Topberaad (verplaatst)"
    assert admin_client.post(change_url(meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Topberaad (verplaatst)"
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Opening"]
    assert Meeting.objects.count() == 1


def test_an_indicator_with_figures_keeps_what_its_figures_mean_in_the_admin(admin_client):
    approved_upload("IND", {("asylum_pending", "2024-01", ""): 7})
    indicator = Indicator.objects.get(code="asylum_pending")
    page = admin_client.get(change_url(indicator))
    form = page.context["adminform"].form
    for name in ("owner", "frequency", "aggregation", "dimensions"):
        assert name not in form.fields, name  # shown, not editable
    data = form_data(admin_client, indicator)
    data.update(frequency="year", aggregation="sum", owner=org("COA").pk, label="Openstaand")
    assert admin_client.post(change_url(indicator), data).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.frequency, indicator.aggregation, indicator.owner.code) == (
        "month",
        "last",
        "IND",
    )
    assert indicator.label == "Openstaand"


def test_an_indicator_without_figures_can_still_be_changed_in_the_admin(admin_client):
    indicator = Indicator.objects.get(code="registrations")
    data = form_data(admin_client, indicator)
    data["frequency"] = "quarter"
    assert admin_client.post(change_url(indicator), data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.frequency == "quarter"


def test_adding_an_upload_in_the_admin_is_refused_not_a_server_error(admin_client):
    response = admin_client.get(reverse("admin:dashboards_upload_add"))
    assert response.status_code == 403
    assert Upload.objects.count() == 0


def test_a_regie_user_is_not_let_into_the_admin(client, regie):
    client.force_login(regie)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert Signal.objects.count() == 0


def test_a_user_deactivated_in_the_admin_keeps_the_admin_access_of_their_role(admin_client):
    user, _c, _t = save_portal_user(
        username="vertrekker", organisation=org("IND"), role=Role.PARTNER
    )
    data = form_data(admin_client, user)
    data.pop("is_active", None)  # unticked
    data["is_staff"] = "on"  # read-only in the admin: ignored
    assert admin_client.post(change_url(user), data).status_code == 302
    user.refresh_from_db()
    assert not user.is_active and not user.is_staff


def test_a_target_on_an_indicator_the_organisation_does_not_deliver_is_refused_in_the_admin(
    admin_client,
):
    from dashboards.models import Indicator

    target = make_target("COA", "reception_occupancy", "2026", 100, "at_most")
    assignment = target.assignment
    data = form_data(admin_client, assignment)
    prefix = next(k for k in data if k.endswith("-0-indicator")).removesuffix("-0-indicator")
    data[f"{prefix}-0-indicator"] = str(Indicator.objects.get(code="asylum_decisions").pk)
    response = admin_client.post(change_url(assignment), data, follow=True)
    assert "COA levert" in response.content.decode()
    target.refresh_from_db()
    assert target.indicator.code == "reception_occupancy"
