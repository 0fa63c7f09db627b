"""Duiding in accountability reports and board packs (issue 12): each key figure carries the
annotations of its quarters as they stood at the report's cutoff, in HTML and XLSX."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from dashboards.annotations.services import add_annotation, withdraw_annotation
from dashboards.models import Annotation, Indicator
from governance.models import ReportingMoment
from governance.packs import content as pack_content
from governance.packs import files as pack_files
from governance.reports import content as report_content
from governance.reports import files as report_files
from tests.dashboards.factories import approved_upload
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def noted(ind_partner):
    year = TODAY.year - 1
    approved_upload(
        "IND", {("asylum_pending", f"{year}-{m:02d}", ""): 100 + m for m in range(1, 13)}
    )
    indicator = Indicator.objects.get(code="asylum_pending")
    add_annotation(
        by=ind_partner, indicator=indicator, period=f"{year}-11", text="Ter Apel overvol"
    )
    add_annotation(by=ind_partner, indicator=indicator, period=f"{year}-02", text="Lang geleden")
    return year


def figure(figures: list[dict], code: str) -> dict:
    return next(f for f in figures if f["indicator"] == code)


def test_a_report_carries_the_duiding_of_its_figures_in_html_and_xlsx(regie, noted):
    moment = ReportingMoment.objects.create(date=TODAY, title="Voortgangsbrief", created_by=regie)
    data = report_content.build_report_data(moment)
    pending = figure(data["figures"], "asylum_pending")
    assert pending["period"] == f"{noted}-Q4"
    # The quarter and the quarter before it: the note on February is not one of them.
    assert pending["notes"] == [
        {"period": f"{noted}-11", "text": "Ter Apel overvol", "organisation": "IND"}
    ]
    html = report_files.render_html(data)
    assert "Ter Apel overvol" in html and "Lang geleden" not in html
    sheet = openpyxl.load_workbook(io.BytesIO(report_files.render_xlsx(data)))["Kerncijfers"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "asylum_pending")
    assert row[header.index("Duiding")] == f"{noted}-11: Ter Apel overvol (IND)"


def test_a_report_cites_the_duiding_as_it_stood_at_its_cutoff(regie, ind_partner, noted):
    note = Annotation.objects.get(text="Ter Apel overvol")
    withdraw_annotation(by=ind_partner, annotation=note)
    cutoff = timezone.now()
    # The withdrawal was recorded a day after the report's cutoff.
    withdrawn_at = cutoff + datetime.timedelta(days=1)
    Annotation.history.filter(id=note.pk, history_type="~").update(history_date=withdrawn_at)
    then = report_content.key_figures(TODAY, None, cutoff)
    assert [n["text"] for n in figure(then, "asylum_pending")["notes"]] == ["Ter Apel overvol"]
    later = report_content.key_figures(TODAY, None, withdrawn_at + datetime.timedelta(seconds=1))
    assert figure(later, "asylum_pending")["notes"] == []


def test_a_board_pack_carries_the_duiding_of_its_key_figures(noted):
    meeting = MeetingFactory(title="Topberaad", date=TODAY + datetime.timedelta(days=7))
    data = pack_content.build_pack_data(meeting)
    assert [n["text"] for n in figure(data["figures"], "asylum_pending")["notes"]] == [
        "Ter Apel overvol"
    ]
    assert "Ter Apel overvol" in pack_files.render_html(data)
