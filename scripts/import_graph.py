#!/usr/bin/env python3
"""Print the import graph between the project's packages and check that it points one way.

    python scripts/import_graph.py          # the graph, then any problem; exit 1 on a problem

A package is an app's subpackage (`governance.boards`, `dashboards.uploads`), or the app itself
for the modules directly in it (`actions`, `governance` for its admin and URL conf). Checked:
- no cycle between packages;
- every import goes down the layers of `LAYERS` (README, "Architecture"), never up;
- no project import hidden inside a function (a task is sent by name instead).
Settings, URL confs and the Celery app are left out (they wire everything together), and so are
migrations and tests. Pure stdlib: it reads the source, it imports nothing of the project.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("ketenportaal", "governance", "actions", "dashboards")
#: Wiring modules that may import anything (they are not part of the layering).
WIRING = {
    "ketenportaal.settings",
    "ketenportaal.urls",
    "ketenportaal.api_urls",
    "ketenportaal.celery",
    "ketenportaal.wsgi",
    "ketenportaal.asgi",
    "governance.urls",
    "dashboards.urls",
    # AppConfig.ready() connects signal receivers by importing their modules (Django's way).
    "governance.apps",
}
#: From the bottom up: a package may import the packages below it, never one above it.
LAYERS = [
    "ketenportaal",
    "governance.models",
    "governance.accounts",
    "governance.structure",
    "dashboards.models",
    "actions",
    "dashboards.catalogue",
    "dashboards.uploads",
    "dashboards.annotations",  # duiding: explanations of figures, written by regie and the owner
    "dashboards.suppression",  # small-number suppression: the rule, who sees what, the mark
    "dashboards.rebuild",
    "dashboards.releases",  # figures frozen under a name (pointers, no copies), corrections since
    "dashboards.consistency",  # rules comparing the partners' figures, evaluated on the build
    "dashboards.forecasts",  # forecast rounds scored against their realisation
    "dashboards.pages",
    "dashboards.lineage",  # where a figure comes from: its cells, uploads and earlier values
    "dashboards.health",  # heartbeats, the status endpoint and its alarms
    "governance.boards",
    "governance.steering",
    "governance.reports",
    "governance.packs",  # board packs (RAG per theme, the pack's content and files)
    "governance.notifications",  # reminders and news per user, mail
    "governance.home",  # Mijn werk: each role's home page
    "governance.search",  # search across the structure, actions and boards
    "governance.feeds",  # a user's calendar (iCal) feed of meetings and milestones
    "governance.demo",
    "dashboards",  # the app's own modules: admin, management commands
    "governance",  # the app's own modules: admin, management commands, template tags
]


@dataclass
class Graph:
    edges: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    hidden: list[str] = field(default_factory=list)


def module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of(module: str) -> str:
    """The package a module belongs to: `app.sub` when `sub` is a subpackage, else `app`."""
    parts = module.split(".")
    if (
        len(parts) >= 2
        and (ROOT / parts[0] / parts[1]).is_dir()
        and parts[1] not in ("management", "templatetags", "migrations")
    ):
        return f"{parts[0]}.{parts[1]}"
    return parts[0]


def source_files() -> list[Path]:
    files = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                files.append(path)
    return files


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(tree: ast.Module, module: str, is_package: bool):
    """(imported module, line, inside a function) for every project import of a module."""
    functions = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for child in ast.walk(node)
        if child is not node
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, is_package, node)
            # `from pkg import mod` imports the module pkg.mod when there is one
            names = [
                f"{target}.{alias.name}"
                if (ROOT / Path(*f"{target}.{alias.name}".split("."))).with_suffix(".py").exists()
                or (ROOT / Path(*f"{target}.{alias.name}".split("."))).is_dir()
                else target
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            if name.split(".")[0] in APPS:
                yield name, node.lineno, id(node) in functions


def build() -> Graph:
    graph = Graph()
    for path in source_files():
        module = module_of(path)
        if module in WIRING:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        source = package_of(module)
        for target, line, hidden in _imports(tree, module, path.name == "__init__.py"):
            where = f"{path.relative_to(ROOT)}:{line} imports {target}"
            if hidden:
                graph.hidden.append(where)
            target_package = package_of(target)
            if target_package != source:
                graph.edges[(source, target_package)].append(where)
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components with more than one package (Tarjan)."""
    successors: dict[str, set[str]] = defaultdict(set)
    for source, target in graph.edges:
        successors[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(successors[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted({n for edge in graph.edges for n in edge}):
        if node not in index:
            visit(node)
    return found


def upward(graph: Graph) -> list[str]:
    """Imports from a package to one above it in LAYERS (or to a package not in LAYERS)."""
    rank = {name: n for n, name in enumerate(LAYERS)}
    problems = []
    for (source, target), where in sorted(graph.edges.items()):
        if source not in rank or target not in rank:
            problems.append(f"{source} -> {target}: not in LAYERS ({where[0]})")
        elif rank[target] > rank[source]:
            problems.append(f"{source} -> {target} goes up ({where[0]})")
    return problems


def problems(graph: Graph) -> list[str]:
    found = [f"cycle: {' <-> '.join(c)}" for c in cycles(graph)]
    found += upward(graph)
    found += [f"import inside a function: {where}" for where in graph.hidden]
    return found


def main() -> int:
    graph = build()
    rank = {name: n for n, name in enumerate(LAYERS)}
    print("Packages, bottom first, with the packages each imports:")
    by_source: dict[str, list[str]] = defaultdict(list)
    for source, target in graph.edges:
        by_source[source].append(target)
    for package in sorted(by_source.keys() | set(LAYERS), key=lambda p: rank.get(p, 99)):
        targets = sorted(by_source.get(package, []), key=lambda p: rank.get(p, 99))
        print(f"  {package:22} -> {', '.join(targets) if targets else '(nothing of the project)'}")
    found = problems(graph)
    if found:
        print("\nProblems:")
        for problem in found:
            print(f"  {problem}")
        return 1
    print("\nNo cycle, no import upwards, no import hidden in a function.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
