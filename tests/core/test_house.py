"""The house (issue 19): every domain is always present, and modules import only downward.

- Every blueprint module in `elearn.BLUEPRINTS` and model module in `elearn.MODEL_MODULES` is
  imported and registered by `create_app`, and every `models.py` / `blueprint.py` under elearn/
  is listed there (a domain left out would silently vanish).
- Every import of elearn/ (module-level and inside functions), read with `ast`, goes to the same
  or a lower layer of the dependency order below, and no two modules import each other,
  directly or round a longer circle. Failures list each offending import with file and line.
"""

import ast
import importlib
import sys
from pathlib import Path

import elearn

ROOT = Path(elearn.__file__).resolve().parent
SHARED = {"extensions", "db_types", "config", "i18n", "form_checks", "converters", "base_url",
          "audit", "jobs", "downloads",
          "integrations", "mail", "uploads", "storage", "pdf_fonts", "commands",
          "migrations_binding", "multilingual", "multilingual_forms", "db_writes"}
DOMAINS = ["core", "accounts", "programme", "forms", "events", "attendance", "courses",
           "hackathons", "outputs", "certificates", "stats", "surveys", "reports", "home"]
TOP = {"cli", "demo", "worker"}  # with elearn/__init__.py itself


def layer(module: str) -> int:
    """0 for the shared bottom, 1.. for the domains in order, the highest for the top."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in TOP:
        return len(DOMAINS) + 1
    if parts[1] in SHARED:
        return 0
    if parts[1] in DOMAINS:
        return DOMAINS.index(parts[1]) + 1
    raise AssertionError(f"{module} is in no layer of the dependency order: add it to the list")


def layer_name(module: str) -> str:
    level = layer(module)
    return "shared" if level == 0 else "top" if level > len(DOMAINS) else DOMAINS[level - 1]


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(module: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int]]:
    """(imported elearn module, line) for every import statement anywhere in the file."""
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[:len(package) - (node.level - 1)]
                base = ".".join(package + ([node.module] if node.module else []))
            # `from package import name` imports the submodule when there is one
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                     for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.append((name, node.lineno))
    return found


def import_graph() -> dict[str, list[tuple[str, int]]]:
    known = modules()
    return {module: imports(module, path, known) for module, path in known.items()}


def where(module: str, line: int) -> str:
    return f"{modules()[module].relative_to(ROOT.parent)}:{line}"


def cycles(graph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target, _ in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph)))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_every_blueprint_and_model_module_is_imported_and_registered(app):
    for module in elearn.BLUEPRINTS + elearn.MODEL_MODULES:
        assert module in sys.modules, f"{module} was not imported by create_app"
    registered = set(app.blueprints.values())
    for module in elearn.BLUEPRINTS:
        blueprints = importlib.import_module(module).blueprints
        assert blueprints and set(blueprints) <= registered, f"{module} is not registered"

    listed = set(elearn.BLUEPRINTS) | set(elearn.MODEL_MODULES)
    unlisted = [f"{path.relative_to(ROOT.parent)} ({module})"
                for module, path in modules().items()
                if path.name in ("models.py", "blueprint.py") and module not in listed]
    assert not unlisted, ("not in elearn.BLUEPRINTS / elearn.MODEL_MODULES:\n"
                          + "\n".join(unlisted))


def test_no_module_imports_from_a_higher_layer():
    graph = import_graph()
    upward = [f"{where(module, line)}: {module} ({layer_name(module)}) imports {target} "
              f"({layer_name(target)})"
              for module, targets in sorted(graph.items())
              for target, line in sorted(set(targets), key=lambda t: t[1])
              if layer(target) > layer(module)]
    assert not upward, f"{len(upward)} upward import(s):\n" + "\n".join(upward)


def test_no_import_cycle():
    graph = import_graph()
    found = cycles(graph)
    lines = []
    for component in found:
        members = set(component)
        lines.append("cycle between " + ", ".join(component) + ":")
        lines.extend(f"  {where(module, line)}: {module} imports {target}"
                     for module in component
                     for target, line in sorted(set(graph[module]), key=lambda t: t[1])
                     if target in members)
    assert not found, f"{len(found)} import cycle(s):\n" + "\n".join(lines)


def test_the_walker_sees_function_level_and_relative_imports(tmp_path):
    """The checks above are only as good as the walker: it must see an import inside a
    function and resolve `from .x import y` and `from . import x` to the module."""
    known = {"elearn.a": tmp_path / "a.py", "elearn.a.b": tmp_path / "b.py",
             "elearn.a.c": tmp_path / "c.py", "elearn": tmp_path / "__init__.py"}
    source = tmp_path / "b.py"
    source.write_text("from . import c\n\ndef f():\n    from elearn import create_app\n"
                      "    from .c import thing\n    import elearn.a.c.missing\n")
    assert imports("elearn.a.b", source, known) == [
        ("elearn.a.c", 1), ("elearn", 4), ("elearn.a.c", 5), ("elearn.a.c", 6)]
    graph = {"x": [("y", 1)], "y": [("z", 2)], "z": [("x", 3)], "w": [("x", 4)]}
    assert cycles(graph) == [["x", "y", "z"]]
