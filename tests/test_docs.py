"""The generated documentation is current: each addon's README.rst and Apps page
(static/description/index.html) match its readme/ fragments and screenshots, and every
picture the top-level README's tour shows exists. (Files only: needs no server.)"""

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_addon_readmes_are_rendered():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_apps_page_shows_the_screenshots():
    for manifest in ROOT.glob("*/__manifest__.py"):
        description = manifest.parent / "static" / "description"
        page = (description / "index.html").read_text()
        for shot in description.glob("screenshot_*.png"):
            assert f'src="{shot.name}"' in page, f"{shot} is not on {manifest.parent.name}'s page"


def test_readme_tour_pictures_exist():
    readme = (ROOT / "README.md").read_text()
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", readme)
    assert pictures, "the README's tour shows no screenshots"
    missing = [p for p in pictures if not (ROOT / p).is_file()]
    assert not missing, f"README.md shows pictures that do not exist: {missing}"


# --- the dependency picture of the top-level README --------------------------------------------

DEPENDENCY_HEADING = "## How the addons depend on each other"


def _manifest_edges():
    """{(addon, dependency)} of every addon of this repository, from its manifest."""
    edges = set()
    for manifest in ROOT.glob("*/__manifest__.py"):
        depends = ast.literal_eval(manifest.read_text()).get("depends", [])
        edges |= {(manifest.parent.name, dependency) for dependency in depends}
    return edges


def _dependency_section():
    readme = (ROOT / "README.md").read_text()
    assert DEPENDENCY_HEADING in readme, f"README.md has no section {DEPENDENCY_HEADING!r}"
    section = readme.split(DEPENDENCY_HEADING, 1)[1].split("\n## ", 1)[0]
    blocks = dict(re.findall(r"```(\w+)\n(.*?)```", section, re.S))
    assert {"mermaid", "text"} <= set(blocks), "the section needs a mermaid and a text block"
    return blocks["mermaid"], blocks["text"]


def _expected(edges):
    return "\n".join(f"  {addon} --> {dependency}" for addon, dependency in sorted(edges))


def test_readme_dependency_diagram_is_the_manifests():
    """The mermaid graph has exactly one arrow per entry of a manifest's depends, our addons in
    the subgraph "suite", the Odoo apps they depend on in the subgraph "odoo"."""
    edges = _manifest_edges()
    ours = {addon for addon, _dependency in edges}
    odoo_apps = {dependency for _addon, dependency in edges} - ours
    mermaid, _text = _dependency_section()
    drawn, members, subgraph = set(), {"suite": set(), "odoo": set()}, None
    for line in mermaid.splitlines():
        line = line.strip()
        if not line or line.startswith(("graph ", "%%", "classDef ", "class ")):
            continue
        if match := re.fullmatch(r"subgraph (\w+).*", line):
            subgraph = match.group(1)
            assert subgraph in members, f"unknown subgraph {subgraph!r} in README.md's diagram"
        elif line == "end":
            subgraph = None
        elif match := re.fullmatch(r"([\w.]+) --> ([\w.]+)", line):
            drawn.add(match.groups())
        elif re.fullmatch(r"[\w.]+", line) and subgraph:
            members[subgraph].add(line)
        else:
            raise AssertionError(f"README.md's diagram: a line this test does not read: {line!r}")
    assert drawn == edges, (
        "README.md's dependency diagram differs from the manifests: "
        f"missing {sorted(edges - drawn)}, not in any manifest {sorted(drawn - edges)}. "
        f"The arrows should be:\n{_expected(edges)}"
    )
    assert members["suite"] == ours, f"subgraph suite should hold exactly {sorted(ours)}"
    assert members["odoo"] == odoo_apps, f"subgraph odoo should hold exactly {sorted(odoo_apps)}"


def test_readme_dependency_tree_is_the_manifests():
    """The text tree names every addon once with exactly its manifest's depends, and hangs
    each addon under one of the addons it depends on."""
    edges = _manifest_edges()
    ours = {addon for addon, _dependency in edges}
    _mermaid, text = _dependency_section()
    listed, parents = {}, []  # parents: (column, addon) of the lines above
    for line in text.splitlines():
        match = re.fullmatch(r"([\s│├└─]*)(crm_\w+)\s+depends on ([\w., ]+)", line.rstrip())
        if not match:
            assert not line.strip(), f"README.md's tree: a line this test does not read: {line!r}"
            continue
        prefix, addon, dependencies = match.groups()
        assert addon not in listed, f"README.md's tree names {addon} twice"
        listed[addon] = {d.strip() for d in dependencies.split(",")}
        parents = [(column, name) for column, name in parents if column < len(prefix)]
        if parents:
            assert parents[-1][1] in listed[addon], (
                f"README.md's tree hangs {addon} under {parents[-1][1]}, which it does not "
                "depend on"
            )
        else:
            assert not prefix, f"README.md's tree: {addon} is indented under nothing"
        parents.append((len(prefix), addon))
    expected = {addon: {d for a, d in edges if a == addon} for addon in ours}
    assert listed == expected, f"README.md's tree should say (in any order): {expected}"


# --- each addon's map: readme "Where things are" ---------------------------------------------

FILE_SUFFIXES = (".py", ".xml", ".js", ".scss", ".css", ".csv", ".md", ".po", ".pot")


def _where_things_are(addon):
    """[(fragment, text)] of every section "Where things are" (any heading level) of the
    addon's readme fragments."""
    sections = []
    for fragment in sorted((addon / "readme").glob("*.md")):
        text = fragment.read_text()
        for match in re.finditer(r"^(#+) Where things are\n", text, re.M):
            # up to the next heading of the same or a higher level
            level = len(match.group(1))
            body = re.split(rf"^#{{1,{level}}} ", text[match.end() :], maxsplit=1, flags=re.M)[0]
            sections.append((fragment, body))
    return sections


def test_every_addon_says_where_things_are():
    """Each addon's readme has a section "Where things are", and every file or folder it names
    in `code` exists (so that moving or deleting a file makes this test name the readme to
    correct): `models/x.py` relative to the addon (or to another addon, or the repository),
    a bare `x.py` anywhere in the addon."""
    addons = sorted(manifest.parent for manifest in ROOT.glob("*/__manifest__.py"))
    missing_section, missing_paths = [], []
    for addon in addons:
        sections = _where_things_are(addon)
        if not sections:
            missing_section.append(addon.name)
        tokens = [
            (fragment, token)
            for fragment, body in sections
            for token in re.findall(r"`([^`\s]+)`", body)
        ]
        for fragment, token in tokens:
            path = token.rstrip("/")
            if token.startswith("/") or not (token.endswith("/") or path.endswith(FILE_SUFFIXES)):
                continue  # a route, a method, a field: not a path
            if "/" in path:
                bases = [addon, *addons, ROOT]
                found = any((base / path).exists() for base in bases)
            else:
                found = any(addon.rglob(path))
            if not found:
                missing_paths.append(f"{fragment.relative_to(ROOT)}: {token}")
    assert not missing_section, f"no readme section 'Where things are' in {missing_section}"
    assert not missing_paths, "readmes name files that do not exist: " + ", ".join(missing_paths)


def test_scan_readme_describes_incoming_einvoices():
    """crm_scan's readme says what happens to a received e-invoice (issue 18): recognised by
    its XML (no OCR), the draft vendor bill through Odoo's import, filed to the supplier by
    VAT id, IBAN or Leitweg-ID / buyer reference, the original kept; and its map names the
    file that does it and its test."""
    fragments = {f.name: f.read_text() for f in (ROOT / "crm_scan" / "readme").glob("*.md")}
    text = " ".join(" ".join(fragments.values()).split())
    for words in (
        "Incoming e-invoices",
        "XRechnung",
        "ZUGFeRD/Factur-X",
        "recognised by its XML",
        "without OCR",
        "draft vendor bill",
        "by VAT id",
        "IBAN",
        "Leitweg-ID",
        "byte for byte",
    ):
        assert words in text, f"crm_scan's readme does not say {words!r}"
    where = " ".join(body for _fragment, body in _where_things_are(ROOT / "crm_scan"))
    for path in ("crm_scan_document_einvoice.py", "test_einvoice_intake.py"):
        assert f"`{path}`" in where, f"crm_scan's 'Where things are' does not name {path}"
    rendered = (ROOT / "crm_scan" / "README.rst").read_text()
    assert "Incoming e-invoices" in rendered
