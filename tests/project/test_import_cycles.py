"""No import loop in the application: neither between two files, nor between the modules and sub-packages of one
package taken whole (a sub-package that imports its sibling, which imports it back through any of their files).

The graph is grimp's (import-linter's library), read statically, imports inside functions included: a loop hidden
in a function is still a loop. The one exception is the root URLconf, `butgmp.urls`, which names the views of the
apps above the project package (the layers' rule allows it too). Each case of the last test copies the packages,
adds one import that closes a loop, and checks it is found.
"""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["butgmp", "curriculum", "grading", "accounts", "portal", "jury", "dashboard", "demo"]
ROOT_URLCONF = "butgmp.urls"

# Run in a process of its own, on the packages of the folder given (the test's copy, or the repository itself).
FIND_LOOPS = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import grimp

packages, root_urlconf = json.loads(sys.argv[2]), sys.argv[3]
graph = grimp.build_graph(*packages, cache_dir=None)


def loops(edges):
    # Tarjan's strongly connected components; a component of two or more nodes is a loop.
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def imports_of(module):
    return set() if module == root_urlconf else graph.find_modules_directly_imported_by(module)


files = loops({module: imports_of(module) for module in graph.modules})


def owner(module, children):
    # the child of the package that holds `module`, or None when it lies outside the package
    return next((child for child in children if module == child or module.startswith(child + ".")), None)


by_package = {}
parents = {"<the application>": list(packages)}
parents.update({module: sorted(graph.find_children(module)) for module in graph.modules
                if graph.find_children(module)})
for parent, children in sorted(parents.items()):
    edges = {child: set() for child in children}
    for child in children:
        for module in [child, *graph.find_descendants(child)]:
            for imported in imports_of(module):
                target = owner(imported, children)
                if target is not None and target != child:
                    edges[child].add(target)
    found = loops(edges)
    if found:
        by_package[parent] = found
print(json.dumps({"modules": len(graph.modules), "files": files, "packages": by_package}))
"""


def import_loops(root: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", FIND_LOOPS, str(root), json.dumps(PACKAGES), ROOT_URLCONF],
                            cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_application_has_no_import_loop():
    found = import_loops(ROOT)
    assert found["modules"] > 300  # the whole application was read, not an empty graph
    assert found["files"] == [], found["files"]
    assert found["packages"] == {}, found["packages"]


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """A copy of the application's packages, without a loop (the test above)."""
    root = tmp_path_factory.mktemp("loops")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return root


@pytest.mark.parametrize(("module", "line", "kind", "where", "loop"), [
    # two files: the loaders read the counts, which would read the loaders back
    ("grading/grade_counts.py", "import grading.loaders", "files", None,
     ["grading.grade_counts", "grading.loaders"]),
    # inside the pure engine, hidden in a function
    ("grading/engine/codes.py", "def _later():\n    from grading.engine import compute", "files", None,
     "grading.engine.codes"),
    # sub-packages of grading, whose files make no loop: a selector reading a service's error messages (the
    # services reach the selectors directly and through grading.access)
    ("grading/selectors/missing.py", "from grading.services import errors", "packages", "grading",
     ["grading.selectors", "grading.services"]),
    # two apps: the portal reaching up into the jury, which imports the portal
    ("portal/visibility.py", "import jury.scope", "packages", "<the application>", ["jury", "portal"]),
    # a task module and the module it runs, each importing the other
    ("jury/documents.py", "from jury.tasks import make_record_documents", "files", None,
     ["jury.documents", "jury.tasks"]),
])
def test_an_import_that_closes_a_loop_is_found(copy, module, line, kind, where, loop):
    target = copy / module
    original = target.read_text(encoding="utf-8")
    target.write_text(original + f"\n\n{line}  # noqa\n", encoding="utf-8")
    try:
        found = import_loops(copy)
    finally:
        target.write_text(original, encoding="utf-8")
    if kind == "files":
        assert found["packages"] or found["files"]
        if isinstance(loop, str):  # a loop through several files, this one among them
            assert any(loop in component for component in found["files"]), found
        else:
            assert any(set(loop) <= set(component) for component in found["files"]), found
    else:
        assert found["files"] == [], found  # a loop of packages only: no two files import each other
        assert any(set(loop) <= set(component) for component in found["packages"][where]), found
