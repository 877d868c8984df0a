"""Issue 19 for accounts and core: blueprint.py owns each URL map, endpoint names are unchanged,
and the view modules import only downward (no circle between files of one domain)."""

import ast
from pathlib import Path

import elearn

ROOT = Path(elearn.__file__).parent

ENDPOINTS = {
    "core.home": "/", "core.set_language": "/language", "core.health": "/health",
    "core.healthz": "/healthz", "core.readyz": "/readyz",
    "accounts.login": "/login", "accounts.logout": "/logout", "accounts.signup": "/signup",
    "accounts.confirm_email": "/confirm/<token>",
    "accounts.resend_confirmation": "/confirm/resend",
    "accounts.forgot_password": "/password/forgot",
    "accounts.reset_password": "/password/reset/<token>",
    "accounts.change_password": "/password/change", "accounts.profile": "/profile",
    "accounts.edit_profile": "/profile/edit", "accounts.change_email": "/profile/email",
    "accounts.confirm_email_change": "/profile/email/confirm/<token>",
    "accounts.my_data": "/profile/data", "accounts.erase": "/profile/erase",
    "admin.users": "/admin/users", "admin.set_roles": "/admin/users/<int:user_id>/roles",
    "admin.confirm_email": "/admin/users/<int:user_id>/confirm-email",
    "admin.resend_confirmation": "/admin/users/<int:user_id>/resend-confirmation",
    "admin.member_states": "/admin/member-states",
    "admin.remove_member_state": "/admin/member-states/<code>/remove",
}


def test_endpoints_and_urls_are_unchanged(app):
    found = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()
             if rule.endpoint.split(".")[0] in {"core", "accounts", "admin"}}
    assert found == ENDPOINTS


def _imports(path: Path, package: str) -> set[str]:
    """The elearn modules `path` imports (relative imports resolved)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("elearn.")}


def _graph(domain: str) -> dict[str, set[str]]:
    modules = {}
    for path in (ROOT / domain).rglob("*.py"):
        relative = path.relative_to(ROOT.parent).with_suffix("")
        name = ".".join(relative.parts).removesuffix(".__init__")
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        modules[name] = path, package
    return {name: {i for i in _imports(path, package) if i in modules and i != name}
            for name, (path, package) in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}

    def visit(node, trail):
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                return trail + [node, nxt]
            if nxt not in state and (found := visit(nxt, trail + [node])):
                return found
        state[node] = 2
        return None

    for node in graph:
        if node not in state and (found := visit(node, [])):
            return found
    return None


def test_no_import_circle_and_nothing_imports_the_url_map():
    for domain in ("accounts", "core"):
        graph = _graph(domain)
        assert _cycle(graph) is None, _cycle(graph)
        importers = [m for m, deps in graph.items() if f"elearn.{domain}.blueprint" in deps]
        assert importers == [], importers
