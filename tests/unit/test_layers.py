"""The package's folders are the pipeline's stages, and imports only go one way: a module
may import from its own stage or the stages before it, never from a later one."""

from __future__ import annotations

import ast
from pathlib import Path

import clinicpress

PACKAGE = Path(clinicpress.__file__).parent
# In pipeline order; each entry is a sub-package or a top-level module.
LAYERS = [
    {"diagnostics", "model", "contact", "libc", "crash_points", "slugs", "dates", "__init__"},
    {"sources"},
    {"markdown"},
    {"incremental"},
    {"content"},
    {"render"},
    {"output"},
    {"pipeline", "build_options"},
    {"preview"},
    {"commands", "__main__"},
]


def layer_of(dotted: str) -> int:
    parts = dotted.split(".")
    assert parts[0] == "clinicpress", dotted
    head = parts[1] if len(parts) > 1 else "__init__"
    for index, names in enumerate(LAYERS):
        if head in names:
            return index
    raise AssertionError(f"{dotted} belongs to no layer: add it to LAYERS")


def engine_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("clinicpress"):
                found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("clinicpress")]
        assert not (isinstance(node, ast.ImportFrom) and node.level), \
            f"{path}: use absolute imports (clinicpress.<stage>.<module>)"
    return found


def test_no_module_imports_a_later_stage() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = "clinicpress." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        own = layer_of(module)
        for imported in engine_imports(path):
            if layer_of(imported) > own:
                upward.append(f"{module} imports {imported}")
    assert upward == []


def test_modules_stay_small_and_say_what_they_do() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text())
        assert ast.get_docstring(tree), f"{path} has no module docstring"
        assert len(path.read_text().splitlines()) <= 330, f"{path} is over ~300 lines"
