"""Fails when a module of crates/api imports, directly or through others, a
module that imports it back, or when the domain crate imports a crate of ours
or a web or database framework (docs/API-DESIGN.md, "Layout and boundaries").

Reads `use crate::…`, `use super::…` and `crate::…` paths in each source file
of crates/api/src (tests aside: `#[cfg(test)]` modules are cut off), maps each
path to the file that defines its module, and looks for cycles among files.

    python3 scripts/check-imports.py
"""

import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
API = os.path.join(ROOT, "crates", "api", "src")
DOMAIN = os.path.join(ROOT, "crates", "domain", "src")
FORBIDDEN_IN_DOMAIN = ["users_api", "actix_web", "diesel", "utoipa", "lettre", "reqwest", "tokio"]


def module_of(path):
    """`crates/api/src/db/users.rs` -> ("db", "users"); mod.rs and lib.rs name their folder."""
    rel = os.path.relpath(path, API)[: -len(".rs")].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return tuple(rel)


def files():
    for folder, _, names in os.walk(API):
        for name in names:
            if name.endswith(".rs"):
                yield os.path.join(folder, name)


def source_without_tests(path):
    text = open(path, encoding="utf-8").read()
    cut = text.find("#[cfg(test)]")
    text = text if cut < 0 else text[:cut]
    return re.sub(r"//[^\n]*", "", text)


def imported_paths(text, here):
    """Module paths (tuples) the text names, resolved against module `here`."""
    found = set()
    for match in re.finditer(r"\b(crate|super)((?:::\w+)+)", text):
        head, tail = match.group(1), match.group(2).split("::")[1:]
        base = () if head == "crate" else here[:-1]
        found.add(base + tuple(tail))
    # `use crate::a::{b, c::d}`: each item of a group too.
    for match in re.finditer(r"\buse (crate|super)((?:::\w+)*)::\{([^}]*)\}", text, re.S):
        head, prefix = match.group(1), match.group(2).split("::")[1:]
        base = (() if head == "crate" else here[:-1]) + tuple(prefix)
        for item in match.group(3).split(","):
            item = item.strip().split(" as ")[0]
            if item and item != "self":
                found.add(base + tuple(item.split("::")))
    # `use child::…` in a folder's mod.rs (a re-export): an import of the child.
    for match in re.finditer(r"^\s*(?:pub(?:\([\w:]+\))? )?use (?:self::)?(\w+)::", text, re.M):
        if match.group(1) not in ("crate", "super", "std", "core"):
            found.add(("child",) + here + (match.group(1),))
    return found


def main():
    modules = {module_of(f): f for f in files()}
    edges = {}
    for module, path in modules.items():
        targets = set()
        for imported in imported_paths(source_without_tests(path), module):
            if imported[0] == "child":
                if imported[1:] in modules:
                    targets.add(imported[1:])
                continue
            # The longest prefix that is a module of ours is the file imported.
            for n in range(len(imported), 0, -1):
                if imported[:n] in modules and imported[:n] != module:
                    targets.add(imported[:n])
                    break
        edges[module] = targets
    # A folder's mod.rs declaring its children (`pub mod x;`) is not an import of them.
    cycles = []
    state = {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [])
    problems = ["import cycle: " + " -> ".join("::".join(m) or "lib" for m in c) for c in cycles]
    for folder, _, names in os.walk(DOMAIN):
        for name in names:
            if name.endswith(".rs"):
                text = source_without_tests(os.path.join(folder, name))
                for crate in FORBIDDEN_IN_DOMAIN:
                    if re.search(rf"\b{crate}::", text):
                        problems.append(f"crates/domain imports {crate}: {os.path.join(folder, name)}")
    for problem in problems:
        print(problem)
    print(f"imports: {len(modules)} modules of crates/api, {sum(map(len, edges.values()))} imports, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
