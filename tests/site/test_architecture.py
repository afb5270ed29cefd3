"""The shape of notes/: no module-level import cycle, only Django's modules at its root,
and pure helpers in notes/lib.

The layers themselves are held by import-linter (``lint-imports``, pyproject.toml), which
counts every import, also those inside functions. These tests add what it does not check:
a cycle between modules at import time, which works or breaks depending on which module
is imported first, and hides in any layer (two services importing each other).
"""

import ast
from pathlib import Path

from tests import paths

ROOT = paths.ROOT
NOTES = ROOT / "notes"


# --- The detector --------------------------------------------------------------------------


def module_names(package_dir: Path) -> dict[str, Path]:
    """Every module of the package in ``package_dir``: dotted name -> file."""
    names = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(body: list[ast.stmt]):
    """The import statements Python runs when the module is imported: top-level ones and
    those inside top-level if / try / with blocks, never inside a function or a class, nor
    under ``if TYPE_CHECKING:`` (its ``else`` runs, so it counts)."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _module_level_imports(node.body)
            yield from _module_level_imports(node.orelse)
        elif isinstance(node, ast.Try | ast.TryStar):
            yield from _module_level_imports(node.body)
            for handler in node.handlers:
                yield from _module_level_imports(handler.body)
            yield from _module_level_imports(node.orelse)
            yield from _module_level_imports(node.finalbody)
        elif isinstance(node, ast.With):
            yield from _module_level_imports(node.body)


def _all_imports(tree: ast.Module):
    """Every import statement of the module, wherever it is (functions and methods too)."""
    return [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]


def imported_modules(module: str, path: Path, node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """The modules of ``known`` that one import statement imports. ``from a.b import c`` is
    the module ``a.b.c`` when that is a module, else ``a.b`` (a name defined there)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    if node.level:  # relative: from the module's package, one more level up per extra dot
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        base = package[: len(package) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    found = set()
    for alias in node.names:
        submodule = f"{source}.{alias.name}"
        if submodule in known:
            found.add(submodule)
        elif source in known:
            found.add(source)
    return found


def import_graph(package_dir: Path, *, module_level_only: bool = True) -> dict[str, set[str]]:
    """module -> the modules of the same package it imports (at import time by default)."""
    modules = module_names(package_dir)
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        nodes = _module_level_imports(tree.body) if module_level_only else _all_imports(tree)
        graph[module] = set()
        for node in nodes:
            graph[module] |= imported_modules(module, path, node, known)
        graph[module].discard(module)
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a list of modules, the first one again at its end) per group of modules
    that import each other, found with Tarjan's strongly connected components."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def connect(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.get(module, ())):
            if imported not in index:
                connect(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == module:
                    break
            if len(component) > 1:
                components.append(component)

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return [_one_cycle(graph, component) for component in components]


def _one_cycle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest way round, from the component's first module back to itself."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        module = queue.pop(0)
        for imported in sorted(graph[module] & component):
            if imported == start:
                return [*paths[module], start]
            if imported not in paths:
                paths[imported] = [*paths[module], imported]
                queue.append(imported)
    raise AssertionError(f"no cycle through {start}")  # a strongly connected component has one


def _described(cycles: list[list[str]]) -> str:
    return "; ".join(" -> ".join(cycle) for cycle in cycles)


# --- notes/ ----------------------------------------------------------------------------------


def test_no_module_of_notes_imports_itself_back_at_import_time():
    cycles = import_cycles(import_graph(NOTES))
    assert cycles == [], f"module-level import cycles in notes/: {_described(cycles)}"


def test_the_graph_sees_module_level_imports_and_not_those_inside_functions():
    graph = import_graph(NOTES)
    # A service enqueues the task at import time; the task imports its service in its body.
    assert "notes.tasks" in graph["notes.services.notifications"]
    assert "notes.services.email" not in graph["notes.tasks"]
    assert "notes.services.email" in import_graph(NOTES, module_level_only=False)["notes.tasks"]
    # ``from notes.services.publishing import X`` is the module, ``from notes import tasks`` too.
    assert "notes.services.publishing" in graph["notes.services.reviews"]
    assert "notes.services.book_proposals" not in graph["notes.services.publishing"]


def test_the_notes_root_holds_only_the_modules_django_expects_there():
    assert sorted(path.name for path in NOTES.glob("*.py")) == [
        "__init__.py",
        "apps.py",
        "context_processors.py",
        "permissions.py",
        "tasks.py",
        "urls.py",
    ]


HIGHER_LAYERS = ("models", "selectors", "services", "views", "forms", "admin")


def test_notes_lib_imports_no_model_selector_service_view_form_or_admin_even_inside_functions():
    graph = import_graph(NOTES, module_level_only=False)
    lib = [module for module in graph if module == "notes.lib" or module.startswith("notes.lib.")]
    assert len(lib) > 10  # the helpers were found
    offending = {
        module: sorted(
            imported
            for imported in graph[module]
            if any(
                imported == f"notes.{layer}" or imported.startswith(f"notes.{layer}.")
                for layer in HIGHER_LAYERS
            )
        )
        for module in lib
    }
    offending = {module: imported for module, imported in offending.items() if imported}
    assert offending == {}, f"notes/lib must stay pure helpers: {offending}"


# --- The detector, proven on throwaway packages ----------------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return package


def test_the_detector_finds_a_cycle_of_three_modules_and_names_it(tmp_path):
    package = _package(
        tmp_path,
        {
            "a.py": "from pkg import b\n",
            "sub/__init__.py": "",
            "b.py": "import os\n\nif os.name:\n    from pkg.sub.c import thing\n",
            "sub/c.py": "try:\n    from .. import a\nexcept ImportError:\n    a = None\nthing = 1\n",
            "d.py": "import pkg.a\n",  # imports into the cycle, but is not part of it
        },
    )
    cycles = import_cycles(import_graph(package))
    assert cycles == [["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]]
    assert _described(cycles) == "pkg.a -> pkg.b -> pkg.sub.c -> pkg.a"


def test_the_detector_finds_two_modules_importing_each_other(tmp_path):
    package = _package(tmp_path, {"a.py": "from pkg.b import f\n", "b.py": "from pkg.a import g\n"})
    assert import_cycles(import_graph(package)) == [["pkg.a", "pkg.b", "pkg.a"]]


def test_the_detector_passes_imports_back_inside_functions_classes_and_type_checking(tmp_path):
    package = _package(
        tmp_path,
        {
            "a.py": "from pkg import b\n",
            "b.py": (
                "from typing import TYPE_CHECKING\n\n"
                "if TYPE_CHECKING:\n    from pkg import a\n\n"
                "def run():\n    from pkg import a\n\n"
                "class Thing:\n    def go(self):\n        import pkg.a\n"
            ),
        },
    )
    graph = import_graph(package)
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.b"] == set()
    assert import_cycles(graph) == []
    # Counting every import, the same package has the cycle.
    assert import_cycles(import_graph(package, module_level_only=False)) == [["pkg.a", "pkg.b", "pkg.a"]]
