"""Structural rules of the code base (issue 16): one writer of case status, no app import cycles, small
modules. They read the source, so a new violation fails here before it drifts."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "xinfang"
WORKFLOW = SRC / "cases" / "workflow"
# Fields only the workflow package writes: the state and the clocks.
GUARDED_FIELDS = {"status", "current_step", "due_date", "triage_due_date", "handling_due_date"}


def _sources():
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _mentions_case(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "Case" for n in ast.walk(node))


def case_state_writes(where: str, tree: ast.AST) -> list[str]:
    """Places that assign a guarded field of a Case: `case.status = …`, or `status=` in a call on `Case`
    (`Case(...)`, `Case.objects….update/create/bulk_create(...)`)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if (
                    isinstance(t, ast.Attribute)
                    and t.attr in GUARDED_FIELDS
                    and isinstance(t.value, ast.Name)
                    and "case" in t.value.id.lower()
                ):
                    found.append(f"{where}:{node.lineno} {t.value.id}.{t.attr} =")
        if isinstance(node, ast.Call) and _mentions_case(node.func):
            for kw in node.keywords:
                if kw.arg in GUARDED_FIELDS:
                    found.append(f"{where}:{node.lineno} {kw.arg}=")
    return found


def test_case_status_and_clocks_are_written_only_inside_the_workflow_package():
    offenders = []
    for path, tree in _sources():
        if WORKFLOW in path.parents:
            continue
        offenders += case_state_writes(str(path.relative_to(SRC)), tree)
    assert offenders == []


def test_the_scan_finds_a_status_write_outside_the_package(tmp_path):
    # The scanner itself must see the three ways a status could be written.
    bad = tmp_path / "bad.py"
    bad.write_text(
        "case.status = 'replied'\n"
        "Case.objects.filter(pk=1).update(status='x')\n"
        "Case(number='1', due_date=None)\n",
        encoding="utf-8",
    )
    found = case_state_writes("bad.py", ast.parse(bad.read_text()))
    assert len(found) == 3


def _app_graph() -> dict[str, set[str]]:
    apps = {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()}
    graph: dict[str, set[str]] = defaultdict(set)
    for path, tree in _sources():
        rel = path.relative_to(SRC).parts
        if len(rel) < 2:
            continue  # settings, urls: the project wires every app together
        app = rel[0]
        for node in ast.walk(tree):  # function-level imports count too: a lazy import is still a cycle
            names = []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "xinfang" and len(parts) > 1 and parts[1] in apps and parts[1] != app:
                    graph[app].add(parts[1])
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*trail, node, nxt]
            if nxt not in state and (found := visit(nxt, [*trail, node])):
                return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [])):
            return found
    return None


def test_no_import_cycle_between_apps():
    assert _cycle(_app_graph()) is None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) is not None
    assert _cycle({"a": {"b"}, "b": {"c"}}) is None


def test_no_module_is_over_400_lines():
    long = {
        str(path.relative_to(SRC)): n
        for path, _tree in _sources()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
