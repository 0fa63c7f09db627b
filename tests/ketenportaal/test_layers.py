"""The packages depend in one direction (README, "Architecture"): checked from the source."""

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "import_graph.py"


@pytest.fixture(scope="module")
def import_graph():
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_no_package_imports_one_above_it_and_there_is_no_cycle(import_graph):
    graph = import_graph.build()
    assert import_graph.cycles(graph) == []
    assert import_graph.upward(graph) == []


def test_no_project_import_is_hidden_in_a_function(import_graph):
    assert import_graph.build().hidden == []


def test_the_checker_sees_an_import_upwards_and_a_cycle(import_graph):
    graph = import_graph.Graph()
    graph.edges[("dashboards.uploads", "dashboards.rebuild")].append("x.py:1")
    graph.edges[("dashboards.rebuild", "dashboards.uploads")].append("y.py:1")
    assert import_graph.cycles(graph) == [["dashboards.rebuild", "dashboards.uploads"]]
    assert any("goes up" in problem for problem in import_graph.upward(graph))
