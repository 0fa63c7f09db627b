"""The governance map: boards laid out in levels by their relations, drawn as SVG on the server.

A board that reports to (or is part of) another is drawn one level below it. Pure layout code:
it takes boards and relations and returns boxes and lines; the template draws them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from governance.models import Board, BoardRelation, RelationKind

BOX_WIDTH = 250
BOX_HEIGHT = 64
GAP_X = 30
GAP_Y = 80
MARGIN = 20


@dataclass
class Box:
    board: Board
    x: int
    y: int
    lines: list[str] = field(default_factory=list)

    @property
    def cx(self) -> int:
        return self.x + BOX_WIDTH // 2


@dataclass
class Line:
    x1: int
    y1: int
    x2: int
    y2: int
    label: str
    dashed: bool


@dataclass
class BoardMap:
    boxes: list[Box]
    lines: list[Line]
    width: int
    height: int
    box_width: int = BOX_WIDTH
    box_height: int = BOX_HEIGHT


def _levels(boards: list[Board], relations: list[BoardRelation]) -> dict[int, int]:
    parents: dict[int, set[int]] = defaultdict(set)
    for relation in relations:
        parents[relation.source_id].add(relation.target_id)
    level: dict[int, int] = {}

    def depth(pk: int, seen: frozenset[int]) -> int:
        if pk in level:
            return level[pk]
        above = [p for p in parents[pk] if p not in seen]  # a cycle stops here
        level[pk] = 1 + max((depth(p, seen | {pk}) for p in above), default=-1)
        return level[pk]

    for board in boards:
        depth(board.pk, frozenset())
    return level


def _wrap(text: str, width: int = 30) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current][:2]


def layout(boards: list[Board], relations: list[BoardRelation]) -> BoardMap:
    levels = _levels(boards, relations)
    rows: dict[int, list[Board]] = defaultdict(list)
    for board in boards:
        rows[levels[board.pk]].append(board)
    widest = max((len(row) for row in rows.values()), default=1)
    width = 2 * MARGIN + widest * BOX_WIDTH + (widest - 1) * GAP_X
    boxes: dict[int, Box] = {}
    for depth, row in sorted(rows.items()):
        row_width = len(row) * BOX_WIDTH + (len(row) - 1) * GAP_X
        left = (width - row_width) // 2
        for index, board in enumerate(row):
            boxes[board.pk] = Box(
                board=board,
                x=left + index * (BOX_WIDTH + GAP_X),
                y=MARGIN + depth * (BOX_HEIGHT + GAP_Y),
                lines=_wrap(board.name),
            )
    lines = []
    drawn: set[tuple[int, int]] = set()
    for relation in relations:
        pair = (relation.source_id, relation.target_id)
        if pair in drawn:  # "part of" and "reports to" between the same boards: one line
            continue
        drawn.add(pair)
        source, target = boxes[relation.source_id], boxes[relation.target_id]
        kinds = {r.kind for r in relations if (r.source_id, r.target_id) == pair}
        lines.append(
            Line(
                x1=source.cx,
                y1=source.y,
                x2=target.cx,
                y2=target.y + BOX_HEIGHT,
                label=", ".join(str(RelationKind(k).label) for k in sorted(kinds)),
                dashed=RelationKind.PART_OF not in kinds,
            )
        )
    height = 2 * MARGIN + (max(levels.values(), default=0) + 1) * (BOX_HEIGHT + GAP_Y) - GAP_Y
    return BoardMap(boxes=list(boxes.values()), lines=lines, width=width, height=height)
