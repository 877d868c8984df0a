"""The courses URL map lives in blueprint.py alone, and the domain's modules import each other
downward only: no view module imports another view module or the blueprint, no circle."""

import ast
from pathlib import Path

import elearn.courses

PACKAGE = Path(elearn.courses.__file__).parent
VIEW_MODULES = {"views", "authoring_views", "assessment_views", "learn_views", "staff_views",
                "lesson_views", "settings_views"}


def imports_of(path: Path) -> set[str]:
    """Sibling modules of elearn.courses that `path` imports (relative or absolute)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 or node.module and node.module.startswith("elearn.courses"):
                base = (node.module or "").removeprefix("elearn.courses").strip(".")
                names = [base.split(".")[0]] if base else [a.name for a in node.names]
                found.update(n for n in names if n)
    return found


def graph() -> dict[str, set[str]]:
    return {path.stem: imports_of(path) - {path.stem} for path in PACKAGE.glob("*.py")
            if path.stem != "__init__"}


def test_view_modules_import_only_downward():
    edges = graph()
    for name in VIEW_MODULES:
        assert not edges[name] & (VIEW_MODULES | {"blueprint"}), name
    assert not edges["view_helpers"] & (VIEW_MODULES | {"blueprint"})
    assert all("blueprint" not in targets for targets in edges.values())


def test_no_import_circle_in_the_domain():
    edges = graph()

    def reaches(start, goal, seen=()):
        return any(n == goal or (n not in seen and reaches(n, goal, (*seen, n)))
                   for n in edges.get(start, ()))

    assert [name for name in edges if reaches(name, name)] == []


def test_every_courses_url_is_listed_in_blueprint_py(app):
    source = (PACKAGE / "blueprint.py").read_text()
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("courses.")]
    assert len(rules) > 40
    for rule in rules:
        listed = f'"{rule.rule.removeprefix("/courses")}", "{rule.endpoint.split(".")[1]}"'
        assert listed in source.replace("\n                ", " "), rule.rule
