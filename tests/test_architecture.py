"""The layering of the code, read from the imports of every module: models and
integrations below services, services below the API and the console, no circles.

Imports inside functions count as much as those at the top of a module: a lazy
import only hides a circle or a dependency that runs the wrong way.
"""
from __future__ import annotations

import ast
from pathlib import Path

from backend.config import REPO_ROOT

PACKAGES = ("backend", "mobile_app")


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def find_modules(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    return {module_name(path, root): path
            for package in packages for path in sorted((root / package).rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module `name` imports, anywhere in its body; `from package import module`
    names the module, `from module import thing` the module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in known else source)
    return found


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    known = set(modules)
    return {name: imports_of(name, path, known) & known for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module, or importing itself
    (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.get(module, ())):
            if imported not in index:
                visit(imported)
                lowest[module] = min(lowest[module], lowest[imported])
            elif imported in on_stack:
                lowest[module] = min(lowest[module], index[imported])
        if lowest[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1 or module in graph.get(module, ()):
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def _within(module: str, *prefixes: str) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def upward_imports(modules: dict[str, Path], importers: tuple[str, ...],
                   forbidden: tuple[str, ...]) -> list[str]:
    known = set(modules)
    return [f"{name} imports {imported}"
            for name, path in modules.items() if _within(name, *importers)
            for imported in sorted(imports_of(name, path, known))
            if _within(imported, *forbidden)]


def test_no_import_circle_among_backend_modules():
    backend = find_modules(REPO_ROOT, ("backend",))
    assert circles(import_graph(backend)) == []


def test_integrations_and_models_import_no_service_api_or_console():
    modules = find_modules(REPO_ROOT)
    assert upward_imports(modules, ("backend.integrations", "backend.models"),
                          ("backend.services", "backend.api", "backend.console")) == []


def test_services_import_no_api_or_console():
    modules = find_modules(REPO_ROOT)
    assert upward_imports(modules, ("backend.services",),
                          ("backend.api", "backend.console")) == []


def test_the_phone_client_imports_no_kivy():
    modules = find_modules(REPO_ROOT)
    assert upward_imports(modules, ("mobile_app.client",), ("kivy",)) == []


def test_the_checks_see_a_circle_hidden_in_a_function(tmp_path):
    package = tmp_path / "backend"
    (package / "services").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "tasks.py").write_text("def run():\n    from backend.services import linking\n")
    (package / "services" / "__init__.py").write_text("")
    (package / "services" / "linking.py").write_text("from backend import tasks\n")
    (package / "models.py").write_text("from .services.linking import tasks\n")
    modules = find_modules(tmp_path, ("backend",))
    assert circles(import_graph(modules)) == [["backend.services.linking", "backend.tasks"]]
    assert upward_imports(modules, ("backend.models",), ("backend.services",)) == [
        "backend.models imports backend.services.linking"]
