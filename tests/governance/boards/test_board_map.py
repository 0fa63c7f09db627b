import pytest

from governance.boards import board_map
from governance.models import Board, BoardRelation


@pytest.mark.django_db
def test_boards_are_drawn_one_level_below_the_board_they_report_to():
    boards = list(Board.objects.all())
    relations = list(BoardRelation.objects.all())
    drawn = board_map.layout(boards, relations)
    y = {box.board.code: box.y for box in drawn.boxes}
    assert y["SD"] < y["TB"] < y["DBA"] == y["DBV"] == y["DBI"]
    # "part of" and "reports to" between the same two boards share one line
    assert len(drawn.lines) == 4
    assert sum(line.dashed for line in drawn.lines) == 1  # TB reports to SD, is not part of it


def test_a_cycle_of_relations_does_not_hang_the_layout():
    a, b = Board(pk=1, code="A", name="A"), Board(pk=2, code="B", name="B")
    relations = [
        BoardRelation(source=a, target=b, kind="reports_to"),
        BoardRelation(source=b, target=a, kind="reports_to"),
    ]
    assert len(board_map.layout([a, b], relations).boxes) == 2
