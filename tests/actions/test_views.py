import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Milestone, MilestoneStatus, ProgressUpdate
from actions.services import record_progress
from governance.models import ActionPerspective, Recommendation, Theme
from tests.factories import ActionFactory, MilestoneFactory, RecommendationFactory, org

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def in_perspective(number: int, owner: str = "IND", **kwargs) -> Milestone:
    recommendation = RecommendationFactory(perspective=ActionPerspective.objects.get(number=number))
    action = ActionFactory(owner=org(owner), recommendations=[recommendation])
    return MilestoneFactory(action=action, **kwargs)


def progress_url(milestone: Milestone) -> str:
    return reverse("actions:milestone-progress", args=[milestone.pk])


def progress_post(**overrides) -> dict:
    return {"text": "Stand van zaken.", "submission_id": str(uuid.uuid4()), **overrides}


def state(milestone: Milestone) -> tuple:
    milestone.refresh_from_db()
    return (
        milestone.status,
        milestone.percent_complete,
        milestone.completed_on,
        milestone.updates.count(),
    )


# ---------------------------------------------------------------- overview


def test_login_is_required_for_the_overview(client):
    response = client.get(reverse("overview"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_overview_lists_overdue_and_upcoming_milestones(regie_client):
    overdue = in_perspective(1, title="Te laat", due_date=days(-3))
    upcoming = in_perspective(2, title="Binnenkort", due_date=days(10))
    later = in_perspective(2, title="Later dit jaar", due_date=days(90))
    done = in_perspective(2, title="Al klaar", due_date=days(-3), done=True)

    response = regie_client.get(reverse("overview"))

    assert [m.pk for m in response.context["overdue"]] == [overdue.pk]
    assert [m.pk for m in response.context["upcoming"]] == [upcoming.pk]
    html = response.content.decode()
    assert "Te laat" in html and "Binnenkort" in html
    assert later.title not in html and done.title not in html


def test_overview_shows_the_partners_own_overdue_milestones_first(client, ind_partner):
    coa = in_perspective(1, owner="COA", title="COA te laat", due_date=days(-30))
    ind = in_perspective(1, owner="IND", title="IND te laat", due_date=days(-2))
    client.force_login(ind_partner)

    response = client.get(reverse("overview"))

    assert [m.pk for m in response.context["overdue"]] == [ind.pk, coa.pk]
    assert "Mijlpalen van IND staan bovenaan" in response.content.decode()


def test_overview_counts_milestones_per_theme_by_status(regie_client):
    in_perspective(3, status=MilestoneStatus.DONE)
    in_perspective(3, status=MilestoneStatus.PLANNED)

    response = regie_client.get(reverse("overview"))

    themes = {t.number: t for t in response.context["themes"]}
    # Perspective 3 belongs to both theme 2 and theme 3.
    for number in (2, 3):
        assert (themes[number].n_done, themes[number].n_planned) == (1, 1)
        assert themes[number].percent_done == 50
    assert themes[1].total == 0


# ---------------------------------------------------------------- tree


def test_tree_shows_theme_perspective_recommendation_action_and_milestone(regie_client):
    milestone = in_perspective(7, title="Dossier ontsloten")
    response = regie_client.get(reverse("actions:tree"))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        str(Theme.objects.get(number=3)),
        str(ActionPerspective.objects.get(number=7)),
        milestone.action.recommendations.get().code,
        milestone.action.title,
        "Dossier ontsloten",
    ):
        assert text in html


def test_tree_filters_by_organisation_and_status(regie_client):
    keep = in_perspective(1, owner="COA", title="COA bezig", status=MilestoneStatus.IN_PROGRESS)
    in_perspective(1, owner="IND", title="IND bezig", status=MilestoneStatus.IN_PROGRESS)
    in_perspective(1, owner="COA", title="COA gepland", status=MilestoneStatus.PLANNED)

    response = regie_client.get(
        reverse("actions:tree"), {"organisation": "COA", "status": "in_progress"}
    )

    assert response.context["count"] == 1
    html = response.content.decode()
    assert keep.title in html and "IND bezig" not in html and "COA gepland" not in html


def test_tree_filters_by_rag(regie_client):
    red = in_perspective(2, title="Rood", due_date=days(-1), status=MilestoneStatus.IN_PROGRESS)
    in_perspective(2, title="Op schema", due_date=days(60), status=MilestoneStatus.IN_PROGRESS)
    response = regie_client.get(reverse("actions:tree"), {"rag": "red"})
    assert response.context["count"] == 1
    assert red.title in response.content.decode()
    assert "Op schema" not in response.content.decode()


def test_tree_filters_by_due_date_range(regie_client):
    inside = in_perspective(4, title="Binnen bereik", due_date=datetime.date(2024, 5, 1))
    in_perspective(4, title="Te vroeg", due_date=datetime.date(2024, 1, 1))
    in_perspective(4, title="Te laat", due_date=datetime.date(2024, 9, 1))

    response = regie_client.get(
        reverse("actions:tree"), {"due_from": "2024-04-01", "due_to": "2024-06-30"}
    )

    assert response.context["count"] == 1
    assert inside.title in response.content.decode()


def test_tree_filters_by_theme_and_perspective(regie_client):
    in_perspective(5, title="Cultuur")  # theme 1
    funding = in_perspective(4, title="Bekostiging")  # theme 4
    by_theme = regie_client.get(reverse("actions:tree"), {"theme": Theme.objects.get(number=4).pk})
    by_perspective = regie_client.get(
        reverse("actions:tree"), {"perspective": ActionPerspective.objects.get(number=4).pk}
    )
    for response in (by_theme, by_perspective):
        assert response.context["count"] == 1
        assert funding.title in response.content.decode()


def test_tree_counts_a_milestone_under_two_themes_once(regie_client):
    in_perspective(3)  # perspective 3 sits under themes 2 and 3
    response = regie_client.get(reverse("actions:tree"))
    assert len(response.context["tree"]) == 2
    assert response.context["count"] == 1


def test_tree_answers_htmx_with_only_the_results(regie_client):
    in_perspective(1, title="Zichtbaar")
    response = regie_client.get(
        reverse("actions:tree"), {"status": "planned"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html and "<form" not in html
    assert "Zichtbaar" in html


def test_tree_answers_an_htmx_history_restore_with_the_whole_page(regie_client):
    response = regie_client.get(
        reverse("actions:tree"),
        {"status": "planned"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    html = response.content.decode()
    assert "<html" in html and '<form method="get"' in html
    assert "HX-Request" in response["Vary"]


def test_tree_filter_form_keeps_the_filters_from_the_url(regie_client):
    response = regie_client.get(reverse("actions:tree"), {"status": "done", "rag": "green"})
    html = response.content.decode()
    assert re.search(r'<option value="done" selected>', html)
    assert re.search(r'<option value="green" selected>', html)


def test_tree_with_an_impossible_date_says_so_and_shows_everything(regie_client):
    in_perspective(1)
    response = regie_client.get(reverse("actions:tree"), {"due_from": "2025-02-30"})
    assert response.status_code == 200
    assert "Deze datum bestaat niet" in response.content.decode()
    assert response.context["count"] == 1


# ---------------------------------------------------------------- milestone page


def test_milestone_page_shows_history_with_old_and_new_values(regie_client, ind_partner):
    milestone = in_perspective(1, title="Historie")
    record_progress(
        milestone=milestone, by=ind_partner, text="Gestart.", new_status=MilestoneStatus.IN_PROGRESS
    )
    response = regie_client.get(reverse("actions:milestone", args=[milestone.pk]))
    html = response.content.decode()
    assert "Historie" in html
    assert "<strong>status</strong>: Gepland → In uitvoering" in html
    assert "Gestart." in html
    assert "Voortgangsrapportage" in html


def test_milestone_page_shows_the_progress_form_to_the_owning_partner(client, ind_partner):
    milestone = in_perspective(1)
    client.force_login(ind_partner)
    response = client.get(reverse("actions:milestone", args=[milestone.pk]))
    assert response.context["can_report"] is True
    assert 'name="submission_id"' in response.content.decode()


def test_milestone_page_tells_another_partner_who_may_report(client, coa_partner):
    milestone = in_perspective(1, owner="IND")
    client.force_login(coa_partner)
    response = client.get(reverse("actions:milestone", args=[milestone.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="submission_id"' not in html
    assert "Alleen Regie Migratieketen en medewerkers van IND" in html


def test_nonexistent_milestone_gives_a_dutch_not_found_page(regie_client):
    response = regie_client.get(reverse("actions:milestone", args=[987654]))
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()


def test_progress_for_a_nonexistent_milestone_gives_not_found(regie_client):
    response = regie_client.post(
        reverse("actions:milestone-progress", args=[987654]), progress_post()
    )
    assert response.status_code == 404
    assert not ProgressUpdate.objects.exists()


# ---------------------------------------------------------------- progress


def test_progress_posted_without_javascript_redirects_to_the_milestone(client, ind_partner):
    milestone = in_perspective(1)
    client.force_login(ind_partner)
    response = client.post(progress_url(milestone), progress_post(percent_complete="30"))
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:milestone", args=[milestone.pk])
    milestone.refresh_from_db()
    assert milestone.percent_complete == 30


def test_the_confirmation_after_a_plain_post_is_shown_once(client, ind_partner):
    milestone = in_perspective(1)
    client.force_login(ind_partner)
    response = client.post(progress_url(milestone), progress_post(), follow=True)
    assert response.content.decode().count("De voortgang is vastgelegd.") == 1


def test_progress_posted_through_htmx_returns_the_progress_section(client, ind_partner):
    milestone = in_perspective(1)
    client.force_login(ind_partner)
    response = client.post(
        progress_url(milestone),
        progress_post(text="Via htmx gemeld.", new_status="in_progress"),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="progress"')
    assert "<html" not in html
    assert "Via htmx gemeld." in html
    assert "De voortgang is vastgelegd." in html
    # The summary above the form is refreshed out of band.
    assert 'id="milestone-summary" hx-swap-oob="true"' in html
    assert state(milestone)[0] == MilestoneStatus.IN_PROGRESS


def test_another_organisations_partner_gets_a_dutch_refusal_page_and_nothing_changes(
    client, coa_partner
):
    milestone = in_perspective(1, owner="IND")
    before = state(milestone)
    client.force_login(coa_partner)

    page = client.get(progress_url(milestone))
    post = client.post(progress_url(milestone), progress_post(new_status="done"))

    for response in (page, post):
        assert response.status_code == 403
        html = response.content.decode()
        assert "Geen toegang" in html
        assert "U mag alleen de voortgang melden van mijlpalen van uw eigen organisatie" in html
        assert "Deze mijlpaal is van IND" in html
    assert state(milestone) == before


def test_another_organisations_partner_gets_the_refusal_in_the_htmx_section(client, coa_partner):
    milestone = in_perspective(1, owner="IND")
    before = state(milestone)
    client.force_login(coa_partner)
    response = client.post(
        progress_url(milestone), progress_post(new_status="done"), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert html.lstrip().startswith('<section id="progress"')
    assert "eigen organisatie" in html
    assert state(milestone) == before


def test_viewer_cannot_change_a_milestones_status(client, viewer):
    milestone = in_perspective(1)
    before = state(milestone)
    client.force_login(viewer)
    response = client.post(progress_url(milestone), progress_post(new_status="done"))
    assert response.status_code == 403
    assert "Met uw rol kunt u meelezen, maar niets wijzigen." in response.content.decode()
    assert state(milestone) == before


def test_empty_progress_text_is_refused_with_a_dutch_message(client, ind_partner):
    milestone = in_perspective(1)
    before = state(milestone)
    client.force_login(ind_partner)
    response = client.post(progress_url(milestone), progress_post(text="   ", new_status="done"))
    assert response.status_code == 422
    assert "Geef een toelichting bij de voortgang." in response.content.decode()
    assert state(milestone) == before


def test_an_impossible_date_is_refused_with_a_dutch_message(client, ind_partner):
    milestone = in_perspective(1)
    before = state(milestone)
    client.force_login(ind_partner)
    response = client.post(
        progress_url(milestone), progress_post(date="2025-02-30", new_status="done")
    )
    assert response.status_code == 422
    assert "Deze datum bestaat niet" in response.content.decode()
    assert state(milestone) == before


def test_a_future_date_is_refused_with_a_dutch_message(client, ind_partner):
    milestone = in_perspective(1)
    before = state(milestone)
    client.force_login(ind_partner)
    response = client.post(
        progress_url(milestone), progress_post(date=days(3).isoformat()), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert (
        "De datum van een rapportage kan niet in de toekomst liggen." in response.content.decode()
    )
    assert state(milestone) == before


def test_a_risk_without_reason_is_refused_with_a_dutch_message(client, ind_partner):
    milestone = in_perspective(1)
    client.force_login(ind_partner)
    response = client.post(progress_url(milestone), progress_post(at_risk="on"))
    assert response.status_code == 422
    assert "Geef aan waarom de mijlpaal risico loopt." in response.content.decode()
    assert state(milestone)[3] == 0


def test_a_form_submitted_twice_records_one_update_and_says_so(client, ind_partner):
    milestone = in_perspective(1)
    client.force_login(ind_partner)
    data = progress_post(text="Dubbel verstuurd.", percent_complete="50")
    client.post(progress_url(milestone), data)
    second = client.post(progress_url(milestone), data, follow=True)
    assert ProgressUpdate.objects.filter(milestone=milestone).count() == 1
    assert "Deze rapportage was al vastgelegd" in second.content.decode()


# ---------------------------------------------------------------- structure editing


def test_regie_creates_a_recommendation_in_the_portal(regie_client):
    response = regie_client.post(
        reverse("actions:recommendation-new"),
        {
            "perspective": ActionPerspective.objects.get(number=2).pk,
            "source": "chain_review",
            "code": "N1",
            "text": "Nieuwe aanbeveling.",
            "owner": org("JENV").pk,
            "phase": "acute",
            "status": "open",
        },
    )
    recommendation = Recommendation.objects.get(code="N1")
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:recommendation", args=[recommendation.pk])


def test_regie_edits_a_recommendation_and_the_change_shows_in_its_history(regie_client):
    recommendation = RecommendationFactory(status="open")
    data = {
        "perspective": recommendation.perspective.pk,
        "source": recommendation.source,
        "code": recommendation.code,
        "text": recommendation.text,
        "owner": recommendation.owner.pk,
        "phase": recommendation.phase,
        "status": "in_progress",
    }
    regie_client.post(reverse("actions:recommendation-edit", args=[recommendation.pk]), data)
    page = regie_client.get(reverse("actions:recommendation", args=[recommendation.pk]))
    assert "<strong>status</strong>: Open → In uitvoering" in page.content.decode()


def test_regie_creates_an_action_in_the_portal(regie_client):
    recommendation = RecommendationFactory()
    response = regie_client.post(
        reverse("actions:action-new"),
        {
            "title": "Portaalactie",
            "recommendations": [recommendation.pk],
            "owner": org("DTV").pk,
            "responsible_function": "Teamleider",
            "start": "2024-01-01",
            "end": "2025-01-01",
        },
    )
    action = Action.objects.get(title="Portaalactie")
    assert response.status_code == 302
    assert list(action.recommendations.all()) == [recommendation]


def test_regie_creates_and_edits_a_milestone_in_the_portal(regie_client):
    action = ActionFactory()
    created = regie_client.post(
        reverse("actions:milestone-new"),
        {
            "action": action.pk,
            "title": "Nieuwe stap",
            "due_date": "2026-03-01",
            "status": "planned",
        },
    )
    milestone = Milestone.objects.get(title="Nieuwe stap")
    edited = regie_client.post(
        reverse("actions:milestone-edit", args=[milestone.pk]),
        {
            "action": action.pk,
            "title": "Nieuwe stap",
            "due_date": "2026-04-01",
            "status": "planned",
            "replan_reason": "Later gestart",
        },
    )
    milestone.refresh_from_db()
    assert (created.status_code, edited.status_code) == (302, 302)
    assert milestone.due_date == datetime.date(2026, 4, 1)
    assert milestone.baseline_due_date == datetime.date(2026, 3, 1)


def test_milestone_form_refuses_an_impossible_date_in_dutch(regie_client):
    action = ActionFactory()
    response = regie_client.post(
        reverse("actions:milestone-new"),
        {"action": action.pk, "title": "Onmogelijk", "due_date": "2025-02-30", "status": "planned"},
    )
    assert response.status_code == 422
    assert "Deze datum bestaat niet" in response.content.decode()
    assert not Milestone.objects.filter(title="Onmogelijk").exists()


@pytest.mark.parametrize("user_fixture", ["ind_partner", "viewer"])
@pytest.mark.parametrize(
    "url_name", ["recommendation-new", "action-new", "milestone-new", "milestone-edit"]
)
def test_partner_and_viewer_get_forbidden_on_structure_forms(
    client, request, user_fixture, url_name
):
    milestone = in_perspective(1)
    client.force_login(request.getfixturevalue(user_fixture))
    args = [milestone.pk] if url_name.endswith("edit") else []
    url = reverse(f"actions:{url_name}", args=args)
    get = client.get(url)
    post = client.post(url, {"title": "Gekaapt", "action": milestone.action.pk})
    assert (get.status_code, post.status_code) == (403, 403)
    assert "Alleen medewerkers van Regie Migratieketen" in post.content.decode()
    milestone.refresh_from_db()
    assert milestone.title != "Gekaapt"


def test_recommendation_and_action_pages_show_their_history(regie_client):
    milestone = in_perspective(2)
    action_page = regie_client.get(reverse("actions:action", args=[milestone.action.pk]))
    recommendation = milestone.action.recommendations.get()
    rec_page = regie_client.get(reverse("actions:recommendation", args=[recommendation.pk]))
    for response in (action_page, rec_page):
        assert response.status_code == 200
        assert "aangemaakt" in response.content.decode()


def test_milestone_page_documents_the_rag_rule_and_marks_done_late(client, viewer):
    milestone = MilestoneFactory(
        status=MilestoneStatus.DONE,
        due_date=timezone.localdate() - datetime.timedelta(days=10),
        completed_on=timezone.localdate() - datetime.timedelta(days=7),
        percent_complete=100,
    )
    client.force_login(viewer)
    html = client.get(reverse("actions:milestone", args=[milestone.pk])).content.decode()
    assert "Hoe de RAG-status wordt bepaald" in html
    assert "de deadline valt binnen 14 dagen" in html
    assert "3 dagen te laat gereed" in html
