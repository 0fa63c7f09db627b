"""The catalogue's pages: the list (labels, never codes), create and edit (regie only)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dashboards.models import Indicator
from tests.dashboards.factories import approved_upload

pytestmark = pytest.mark.django_db

LIST = reverse("dashboards:indicators")
NEW = reverse("dashboards:indicator-new")


def edit_url(code: str) -> str:
    return reverse("dashboards:indicator-edit", args=[code])


def form_data(**overrides) -> dict:
    data = {
        "code": "waiting_time",
        "label": "Wachttijd aanmelding",
        "label_en": "Waiting time for registration",
        "owner": Indicator.objects.get(code="asylum_pending").owner_id,
        "unit": "days",
        "frequency": "quarter",
        "aggregation": "mean",
        "tolerance_percent": "50",
        "active": "on",
        "dimensions-TOTAL_FORMS": "1",
        "dimensions-INITIAL_FORMS": "0",
        "dimensions-MIN_NUM_FORMS": "0",
        "dimensions-MAX_NUM_FORMS": "1000",
        "dimensions-0-name": "location",
        "dimensions-0-label_nl": "Locatie",
        "dimensions-0-label_en": "Location",
        "dimensions-0-values": "ter_apel; Ter Apel; Ter Apel\nbudel; Budel-Cranendonck; Budel",
    }
    data.update(overrides)
    return data


def existing_form_data(client, code: str) -> dict:
    """What the edit page's form holds now, as a browser would post it back."""
    page = client.get(edit_url(code))
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    formset = form.dimension_forms
    data.update(
        {
            f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
            f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
        }
    )
    for sub in formset.forms:
        for name, field in sub.fields.items():
            value = sub[name].value()
            if field.disabled or value in (None, False):
                continue
            data[sub.add_prefix(name)] = value
    return data


def test_everyone_reads_the_catalogue_with_labels_not_codes(
    client, viewer, django_assert_max_num_queries
):
    client.force_login(viewer)
    with django_assert_max_num_queries(12):
        page = client.get(LIST)
    html = page.content.decode()
    assert "Met onbekende bestemming" in html and "Soort vertrek" in html
    assert "personen" in html and "plaatsen" in html
    assert ">unsupervised<" not in html
    assert NEW not in html  # a viewer gets no edit links


def test_the_catalogue_in_english_shows_english_labels(client, viewer):
    client.force_login(viewer)
    client.cookies["django_language"] = "en"
    html = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "To an unknown destination" in html and "Departure type" in html
    assert "Met onbekende bestemming" not in html


def test_the_list_query_count_does_not_grow_with_the_catalogue(
    client, regie, django_assert_max_num_queries
):
    client.force_login(regie)
    client.get(LIST)
    for n in range(15):
        Indicator.objects.create(
            code=f"extra_{n}",
            label=f"Extra {n}",
            owner_id=Indicator.objects.first().owner_id,
            unit="persons",
            frequency="month",
            aggregation="sum",
        )
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


@pytest.mark.parametrize("who", ["ind_partner", "viewer"])
def test_partners_and_viewers_cannot_open_or_post_the_edit_pages(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data()).status_code == 403
    assert client.post(edit_url("asylum_pending"), {"label": "x"}).status_code == 403
    assert not Indicator.objects.filter(code="waiting_time").exists()


def test_regie_adds_an_indicator_with_a_labelled_dimension(regie_client):
    response = regie_client.post(NEW, form_data())
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="waiting_time")
    assert indicator.dimensions == {"location": ["ter_apel", "budel"]}
    assert indicator.dimension_labels["location"]["values"]["budel"] == {
        "label_nl": "Budel-Cranendonck",
        "label_en": "Budel",
    }
    assert "Budel-Cranendonck" in regie_client.get(LIST).content.decode()


def test_a_malformed_value_line_is_shown_on_its_field_and_saves_nothing(regie_client):
    response = regie_client.post(NEW, form_data(**{"dimensions-0-values": "ter_apel; Ter Apel"}))
    assert response.status_code == 422
    assert "Regel 1: geef code; Nederlands label; Engels label" in response.content.decode()
    assert not Indicator.objects.filter(code="waiting_time").exists()


def test_add_dimension_renders_one_more_dimension_form_without_saving(regie_client):
    response = regie_client.post(NEW, {**form_data(), "add_dimension": "1"})
    assert response.status_code == 200
    assert len(response.context["form"].dimension_forms.forms) == 2
    assert not Indicator.objects.filter(code="waiting_time").exists()
    partial = regie_client.post(NEW, {**form_data(), "add_dimension": "1"}, HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<fieldset class="field" id="dimensions">')


def test_an_indicator_with_figures_shows_its_fixed_fields_disabled_and_keeps_them(regie_client):
    approved_upload("IND", {("asylum_decisions", "2024-01", "outcome=granted"): 5})
    page = regie_client.get(edit_url("asylum_decisions"))
    form = page.context["form"]
    assert all(form.fields[name].disabled for name in ("code", "owner", "frequency", "aggregation"))
    data = existing_form_data(regie_client, "asylum_decisions")
    data.update(frequency="year", label="Beslissingen")
    assert regie_client.post(edit_url("asylum_decisions"), data).status_code == 302
    indicator = Indicator.objects.get(code="asylum_decisions")
    assert (indicator.frequency, indicator.label) == ("month", "Beslissingen")


def test_removing_a_value_of_an_indicator_with_figures_is_refused_on_the_page(regie_client):
    approved_upload("IND", {("asylum_decisions", "2024-01", "outcome=granted"): 5})
    data = existing_form_data(regie_client, "asylum_decisions")
    data["dimensions-0-values"] = "granted; Ingewilligd; Granted\nrejected; Afgewezen; Rejected"
    response = regie_client.post(edit_url("asylum_decisions"), data)
    assert response.status_code == 422
    assert "kunnen er alleen bij komen, niet af (outcome=other)" in response.content.decode()
    assert Indicator.objects.get(code="asylum_decisions").dimensions["outcome"][-1] == "other"


def test_adding_a_value_with_labels_to_an_indicator_with_figures_works(regie_client):
    approved_upload("IND", {("asylum_decisions", "2024-01", "outcome=granted"): 5})
    data = existing_form_data(regie_client, "asylum_decisions")
    data["dimensions-0-values"] += "\nwithdrawn; Ingetrokken; Withdrawn"
    assert regie_client.post(edit_url("asylum_decisions"), data).status_code == 302
    indicator = Indicator.objects.get(code="asylum_decisions")
    assert indicator.dimensions["outcome"] == ["granted", "rejected", "other", "withdrawn"]
