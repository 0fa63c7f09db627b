"""Boards, their members (with mandate) and relations maintained in the portal (issue 13,
item 4): regie and the functional administrator; partners and viewers are refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from governance.boards import services
from governance.models import Board, BoardMember, BoardRelation, Role
from tests.factories import board, make_user, org

pytestmark = pytest.mark.django_db

BOARD = {
    "code": "DBT",
    "name": "Deelberaad Terugkeer",
    "kind": "deelberaad",
    "tasks": "Stuurt op terugkeer.",
    "responsibilities": "Voortgang terugkeer.",
    "decides_on": "Maatregelen voor vertrek.",
    "chair": "DG Migratie",
    "frequency": "maandelijks",
    "order": "9",
}


@pytest.fixture
def functional_admin(db):
    return make_user(Role.ADMIN, "JENV", username="beheerder")


def test_regie_adds_a_board_and_lands_on_its_maintenance_page(regie_client):
    response = regie_client.post(reverse("governance:board-new"), BOARD)
    assert response.status_code == 302
    assert response["Location"] == reverse("governance:board-manage", args=["DBT"])
    assert Board.objects.get(code="DBT").decides_on == "Maatregelen voor vertrek."


def test_the_functional_administrator_changes_a_boards_texts(client, functional_admin):
    client.force_login(functional_admin)
    tb = board("TB")
    data = {**BOARD, "code": "TB", "name": tb.name, "kind": tb.kind, "chair": "De DG"}
    assert client.post(reverse("governance:board-edit", args=["TB"]), data).status_code == 302
    assert board("TB").chair == "De DG"


def test_a_board_with_decisions_keeps_its_code(regie_client, regie):
    services.record_decision(
        board=board("TB"),
        by=regie,
        title="Besluit",
        text="Tekst",
        date=datetime.date(2026, 1, 5),
    )
    tb = board("TB")
    data = {**BOARD, "code": "TB2", "name": tb.name, "kind": tb.kind}
    response = regie_client.post(reverse("governance:board-edit", args=["TB"]), data)
    assert response.status_code == 422
    assert "voorvoegsel van de besluitnummers" in response.content.decode()
    assert Board.objects.filter(code="TB").exists()


def test_regie_seats_an_organisation_with_its_mandate_and_changes_it(regie_client):
    url = reverse("governance:member-new", args=["TB"])
    data = {
        "organisation": org("POL").pk,
        "role": "advisor",
        "represented_by": "Korpschef",
        "mandate": "Adviseert over vreemdelingentoezicht.",
    }
    assert regie_client.post(url, data).status_code == 302
    member = BoardMember.objects.get(board__code="TB", organisation__code="POL", role="advisor")
    edit = reverse("governance:member-edit", args=["TB", member.pk])
    assert regie_client.post(edit, {**data, "mandate": "Beslist mee."}).status_code == 302
    member.refresh_from_db()
    assert member.mandate == "Beslist mee."
    assert member.history.count() == 2


def test_the_same_seat_twice_is_refused_with_a_message(regie_client):
    seat = BoardMember.objects.filter(board__code="TB").select_related("organisation").first()
    data = {"organisation": seat.organisation_id, "role": seat.role, "mandate": "Nog eens."}
    response = regie_client.post(reverse("governance:member-new", args=["TB"]), data)
    assert response.status_code == 422
    assert (
        BoardMember.objects.filter(
            board__code="TB", organisation=seat.organisation, role=seat.role
        ).count()
        == 1
    )


def test_removing_a_member_keeps_its_history_and_answers_htmx_with_the_table(regie_client):
    seat = BoardMember.objects.filter(board__code="TB").first()
    url = reverse("governance:member-remove", args=["TB", seat.pk])
    response = regie_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="members"')
    assert not BoardMember.objects.filter(pk=seat.pk).exists()
    assert BoardMember.history.filter(id=seat.pk, history_type="-").exists()


def test_regie_relates_two_boards_and_a_board_cannot_relate_to_itself(regie_client):
    url = reverse("governance:relation-new", args=["SD"])
    data = {"kind": "reports_to", "target": board("TB").pk, "note": "Bevestigt voorstellen."}
    assert regie_client.post(url, data).status_code == 302
    relation = BoardRelation.objects.get(source__code="SD", target__code="TB", kind="reports_to")
    assert relation.note == "Bevestigt voorstellen."
    self_relation = {"kind": "part_of", "target": board("SD").pk}
    assert regie_client.post(url, self_relation).status_code == 422  # not offered, refused
    remove = reverse("governance:relation-remove", args=["SD", relation.pk])
    assert regie_client.post(remove).status_code == 302
    assert not BoardRelation.objects.filter(pk=relation.pk).exists()


@pytest.mark.parametrize("who", ["ind_partner", "viewer"])
def test_partners_and_viewers_cannot_maintain_boards(client, who, request):
    client.force_login(request.getfixturevalue(who))
    seat = BoardMember.objects.filter(board__code="TB").first()
    relation = BoardRelation.objects.first()
    assert client.get(reverse("governance:board-manage", args=["TB"])).status_code == 403
    assert client.post(reverse("governance:board-new"), BOARD).status_code == 403
    assert (
        client.post(
            reverse("governance:member-new", args=["TB"]),
            {"organisation": org("POL").pk, "role": "advisor", "mandate": "x"},
        ).status_code
        == 403
    )
    remove = reverse("governance:member-remove", args=["TB", seat.pk])
    assert client.post(remove).status_code == 403
    rel = reverse("governance:relation-remove", args=[relation.source.code, relation.pk])
    assert client.post(rel).status_code == 403
    assert BoardMember.objects.filter(pk=seat.pk).exists()
    assert BoardRelation.objects.filter(pk=relation.pk).exists()
    assert not Board.objects.filter(code="DBT").exists()
    page = client.get(reverse("governance:board", args=["TB"])).content.decode()
    assert reverse("governance:board-manage", args=["TB"]) not in page
