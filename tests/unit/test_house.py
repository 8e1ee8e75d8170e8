"""The house's rules (issue 35; docs/architecture.md, "The house"): each kind whole in its own folder,
the generic layers finding it only through the registry.

- ``store/`` imports nothing from ``kinds/``;
- the generic layers (``api/``, ``services/``, ``store/``, ``models/``, ``connectors/``, ``webhooks/``,
  ``rules/``, the functions) import from
  ``kinds/`` only the registry and the kinds' common protocol (``kinds/base.py``);
- no kind is named in them — not its name, not its code prefix, not in a comment, not in the console's
  own templates (a kind's pages and fragments are in its folder);
- the registry names each kind's modules by string only, so no import runs from the generic layers
  into a kind, and no kind folder imports another in a circle.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "layers/core/ypovoli"
GENERIC = [PACKAGE / "api", PACKAGE / "services", PACKAGE / "store", PACKAGE / "models", PACKAGE / "connectors",
           PACKAGE / "webhooks", PACKAGE / "rules", ROOT / "functions"]
#: What the generic layers may import of ``kinds``: the wiring, not a kind.
WIRING = {"ypovoli.kinds", "ypovoli.kinds.registry", "ypovoli.kinds.base"}


def kinds() -> list[str]:
    return sorted(p.name for p in (PACKAGE / "kinds").iterdir() if (p / "__init__.py").is_file())


def code_prefixes() -> set[str]:
    """The code prefixes of the kinds' own areas in the catalog (``MYDATA-``, ``REG-``, ``VOUCHER-``…)."""
    from ypovoli.codes import CODES

    generic = {"api", "dropzone", "transmission", "webhooks"}
    return {re.split(r"[-_]", c.code)[0] for c in CODES if c.area not in generic} - {"NO"}


def imports(path: Path) -> list[str]:
    """Every ``ypovoli`` module ``path`` imports (at the top or inside a function), resolved."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts) if PACKAGE in path.parents else ""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    package = package.removesuffix(".__init__")
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                target = ".".join(base[:len(base) - (node.level - 1)] + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found += [f"{target}.{a.name}" for a in node.names] if target in ("ypovoli", "ypovoli.kinds") else [target]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names]
    return [name for name in found if name.startswith("ypovoli")]


def generic_files() -> list[Path]:
    return sorted(p for folder in GENERIC for p in folder.rglob("*.py"))


def generic_templates() -> list[Path]:
    """The console's and reports' own templates (each kind's are in ``kinds/<kind>/templates``)."""
    return sorted((PACKAGE / "templates").rglob("*.html"))


def test_the_store_imports_no_kind() -> None:
    wrong = {str(p.relative_to(ROOT)): name for p in (PACKAGE / "store").rglob("*.py") for name in imports(p)
             if name.startswith("ypovoli.kinds")}
    assert not wrong, wrong


def test_the_generic_layers_reach_kinds_only_through_the_registry() -> None:
    wrong = {f"{p.relative_to(ROOT)}: {name}" for p in generic_files() for name in imports(p)
             if name.startswith("ypovoli.kinds") and name not in WIRING}
    assert not wrong, sorted(wrong)


def test_no_kind_is_named_in_the_generic_layers() -> None:
    names = [*kinds(), "mydata", "ergani", "pske", "fhm", "voucher", "advance", "ΠΣΚΕ", "ΕΡΓΑΝΗ", "ΦΗΜ"]
    # A name inside a longer word is another word («classmethod» is no «sme»).
    words = re.compile("|".join(rf"(?<![a-zα-ω]){re.escape(n)}(?![a-zα-ω])" for n in names), re.IGNORECASE)
    prefixes = re.compile(r"\b(" + "|".join(sorted(code_prefixes())) + r")-[A-Z0-9]")
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()[:80]}" for p in [*generic_files(), *generic_templates()]
             for n, line in enumerate(p.read_text().splitlines(), 1) if words.search(line) or prefixes.search(line)]
    assert not found, found


def test_the_checker_sees_a_kind_where_there_is_one() -> None:
    """The rules above are not vacuous: the kinds' own folders do name themselves and import each other's
    wiring, and the prefixes are the catalog's."""
    assert {"ergani", "mydata_invoice", "pske"} <= set(kinds())
    assert {"MYDATA", "ERGANI", "PSKE", "FHM", "REG", "VOUCHER", "ADVANCE"} <= code_prefixes()
    assert any(name.startswith("ypovoli.kinds.pske") for name in imports(PACKAGE / "kinds/pske/api.py"))


def test_no_circle_between_the_folders() -> None:
    """Folder → folder imports (each kind a folder, the registry's wiring one more) form no circle; the
    registry and the kinds' protocol import no kind at all."""
    def folder(module: str) -> str:
        parts = module.split(".")
        if len(parts) > 2 and parts[1] == "kinds" and (PACKAGE / "kinds" / parts[2]).is_dir():
            return f"kinds/{parts[2]}"
        return parts[1] if len(parts) > 1 and (PACKAGE / parts[1]).is_dir() else "(top)"

    edges: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        here = folder(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        for name in imports(path):
            there = folder(name)
            if there not in (here, "(top)") and here != "(top)":
                edges[here].add(there)
    assert not {e for e in edges["kinds"] if e.startswith("kinds/")}, edges["kinds"]

    def circle(start: str, at: str, seen: tuple[str, ...]) -> tuple[str, ...] | None:
        for nxt in sorted(edges[at]):
            if nxt == start:
                return (*seen, nxt)
            if nxt not in seen:
                found = circle(start, nxt, (*seen, nxt))
                if found:
                    return found
        return None

    circles = [c for start in sorted(edges) if (c := circle(start, start, (start,)))]
    assert not circles, circles


def test_no_circle_between_modules() -> None:
    """Module → module imports, those inside functions too, form no circle (a kind's hooks import its
    own modules lazily; what they import must not import the kind back)."""
    def module_of(path: Path) -> str:
        return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")

    modules = {module_of(p): p for p in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for target in imports(path):
            while target and target not in modules:   # «from ..x import y»: y may be a name, not a module
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(f"{target}.") and target != "ypovoli":
                edges[name].add(target)

    seen: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        seen[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if seen.get(nxt) == 1:
                circles.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in seen:
                visit(nxt)
        stack.pop()
        seen[node] = 2

    for node in sorted(modules):
        if node not in seen:
            visit(node)
    assert not circles, circles
