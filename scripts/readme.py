"""Render each addon's readme/ fragments (OCA convention: DESCRIPTION.md, INSTALL.md,
CONFIGURE.md, USAGE.md, ROADMAP.md, HISTORY.md, CONTRIBUTORS.md) into <addon>/README.rst and
<addon>/static/description/index.html (the addon's page in Odoo's Apps menu), with the
screenshots found in static/description/screenshot_*.png. The fragment readme/API.md is
itself generated: the addon's public methods and http routes, read from its source by
scripts/public_api.py. ACCESS.md at the top is rendered from tests/access_matrix.py.

    .venv/bin/python scripts/readme.py          write the files of every addon
    .venv/bin/python scripts/readme.py --check  exit 1 when a rendered file is out of date

The fragments are Markdown; only what our fragments use is understood: headings (#), paragraphs,
lists (-, *, 1.) with indented continuations, fenced code blocks, pipe tables, `code`,
**bold**, *emphasis* and [links](url). Markdown becomes reStructuredText here; docutils (one of
Odoo's requirements) turns that into HTML.
"""

import ast
import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
SECTIONS = [
    ("DESCRIPTION", None),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("API", "Public API"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
    ("CONTRIBUTORS", "Contributors"),
]
HEADING_CHARS = {1: "=", 2: "~", 3: "-", 4: "^"}
INLINE = re.compile(
    r"(?P<code>`[^`]+`)|(?P<bold>\*\*[^*]+\*\*)|(?P<em>(?<![\w*])\*[^*\s][^*]*\*(?![\w*]))"
    r"|(?P<link>\[[^\]]+\]\([^)]+\))|(?P<auto><https?://[^>]+>)"
)


def _escape(text):
    return text.replace("\\", "\\\\")


def inline(text):
    """Markdown inline markup -> reStructuredText inline markup."""
    out = []
    pos = 0
    for match in INLINE.finditer(text):
        before = text[pos : match.start()]
        out.append(_escape(before))
        kind = match.lastgroup
        token = match.group()
        if kind == "code":
            rst = f"``{token[1:-1]}``"
        elif kind == "bold":
            rst = f"**{token[2:-2]}**"
        elif kind == "em":
            rst = f"*{token[1:-1]}*"
        elif kind == "link":
            label, url = re.match(r"\[([^\]]+)\]\(([^)]+)\)", token).groups()
            rst = f"`{label} <{url}>`__"
        else:
            rst = token[1:-1]
        # reStructuredText wants inline markup to start after a space or punctuation and
        # end before one: glue it to word characters with an escaped space
        if before and (before[-1].isalnum() or before[-1] in "/"):
            rst = "\\ " + rst
        after = text[match.end() : match.end() + 1]
        if after and (after.isalnum() or after in "/"):
            rst += "\\ "
        out.append(rst)
        pos = match.end()
    out.append(_escape(text[pos:]))
    return "".join(out)


def _table(rows, indent):
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]
    cells = [r for r in cells if not all(re.fullmatch(r":?-+:?", c) for c in r)]
    pad = " " * indent
    lines = [f"{pad}.. list-table::", f"{pad}   :header-rows: 1", ""]
    for row in cells:
        for i, cell in enumerate(row):
            lines.append(f"{pad}   {'* -' if i == 0 else '  -'} {inline(cell) or '..'}")
    lines.append("")
    return lines


def md_to_rst(text, level_offset=0):
    lines = text.splitlines()
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if stripped.startswith("<!--") and stripped.endswith("-->"):
            i += 1  # a comment for who edits the fragment, not for the reader
            continue
        fence = re.match(r"^(\s*)```(\w*)", line)
        if fence:
            pad = fence.group(1)
            lang = fence.group(2)
            block = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                block.append(lines[i][len(pad) :] if lines[i].startswith(pad) else lines[i])
                i += 1
            i += 1
            if out and out[-1].strip():
                out.append("")
            out.append(f"{pad}.. code-block:: {lang or 'text'}")
            out.append("")
            out.extend(f"{pad}   {b}" if b.strip() else "" for b in block)
            out.append("")
            continue
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        if heading:
            level = len(heading.group(1)) + level_offset
            title = inline(heading.group(2).strip())
            if out and out[-1].strip():
                out.append("")
            out += [title, HEADING_CHARS[min(level, 4)] * len(title), ""]
            i += 1
            continue
        if stripped.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i])
                i += 1
            if out and out[-1].strip():
                out.append("")
            out += _table(rows, indent)
            continue
        item = re.match(r"^(\s*)([-*]|\d+\.)\s+", line)
        if item and out and out[-1].strip() and not re.match(r"^\s*([-*]|\d+\.)\s", out[-1]):
            # a list right after a paragraph line needs a blank line in reStructuredText,
            # unless the previous line is a list item or its continuation
            prev_indent = len(out[-1]) - len(out[-1].lstrip())
            if prev_indent <= indent:
                out.append("")
        out.append(line[:indent] + inline(line[indent:]) if stripped else "")
        i += 1
    return "\n".join(out).rstrip() + "\n"


def manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


def screenshots(addon):
    return sorted((ROOT / addon / "static" / "description").glob("screenshot_*.png"))


def api_fragment(addon):
    """readme/API.md: the addon's public methods and routes, generated from the source by
    scripts/public_api.py (the list tests/test_api_boundary.py attacks)."""
    import public_api  # noqa: PLC0415 - scripts/public_api.py

    methods, routes = public_api.read_addon(addon)
    return public_api.readme_fragment(addon, methods, routes)


def fragment_text(addon, fragment):
    if fragment == "API":
        return api_fragment(addon)
    path = ROOT / addon / "readme" / f"{fragment}.md"
    return path.read_text() if path.exists() else None


def render_rst(addon):
    info = manifest(addon)
    title = info["name"]
    parts = [
        "=" * len(title),
        title,
        "=" * len(title),
        "",
        ".. This file is generated by scripts/readme.py from the fragments in readme/;",
        "   edit those and run `.venv/bin/python scripts/readme.py`.",
        "",
        f"**{inline(info.get('summary', ''))}**",
        "",
        f"Technical name: ``{addon}`` · version {info['version']} · license {info['license']}"
        f" · {info.get('development_status', 'Beta')} · depends on "
        + ", ".join(f"``{d}``" for d in info.get("depends", [])),
        "",
    ]
    for fragment, heading in SECTIONS:
        text = fragment_text(addon, fragment)
        if text is None:
            continue
        if heading:
            parts += [heading, "~" * len(heading), ""]
        parts.append(md_to_rst(text, level_offset=2 if heading else 1))
        if fragment == "DESCRIPTION":
            for shot in screenshots(addon):
                caption = shot.stem.removeprefix("screenshot_").split("_", 1)[-1]
                parts += [
                    f".. figure:: static/description/{shot.name}",
                    f"   :alt: {caption.replace('_', ' ')}",
                    "   :width: 100%",
                    "",
                ]
    parts += [
        "Credits",
        "~~~~~~~",
        "",
        f"Authors: {info['author']} · {info.get('website', '')}",
        "",
    ]
    return "\n".join(parts)


def render_html(addon, rst):
    from docutils.core import publish_parts  # noqa: PLC0415

    # the figures in README.rst point at static/description/; index.html lives there
    rst = rst.replace(".. figure:: static/description/", ".. figure:: ")
    parts = publish_parts(
        rst,
        writer_name="html5",
        settings_overrides={
            "report_level": 2,
            "halt_level": 2,
            "embed_stylesheet": False,
            "stylesheet_path": "",
            "doctitle_xform": True,
            "syntax_highlight": "none",
            "_disable_config": True,
        },
    )
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{html.escape(manifest(addon)['name'])}</title>\n</head>\n"
        '<body>\n<section class="oe_container">\n<div class="oe_row oe_spaced">\n'
        f"<h1>{parts['title']}</h1>\n{parts['body']}</div>\n</section>\n</body>\n</html>\n"
    )


def render_access():
    """ACCESS.md: the access matrix of tests/access_matrix.py, the table that
    tests/test_access_matrix.py checks cell by cell."""
    sys.path.insert(0, str(ROOT / "tests"))
    import access_matrix as matrix  # noqa: PLC0415 - tests/access_matrix.py

    roles = list(matrix.ROLES)
    lines = [
        "# Access matrix",
        "",
        "<!-- generated by scripts/readme.py from tests/access_matrix.py; edit that table -->",
        "",
        "Who may do what in the CRM suite. Generated from `tests/access_matrix.py`, the table "
        "that `tests/test_access_matrix.py` checks cell by cell from outside (JSON-2, one user "
        "per role, a second company), so this page and the test cannot disagree.",
        "",
        "## Roles",
        "",
    ]
    for role, text in matrix.ROLES.items():
        groups = ", ".join(f"`{g}`" for g in matrix.GROUPS[role])
        lines.append(f"- **{role}**: {text} ({groups})")
    lines += [
        "",
        "## Models",
        "",
        "A cell lists what the role may do: **c** create, **r** read, **u** write, "
        "**d** delete; **-** nothing. *company*: **own** records of the user's companies "
        "only, **shared** of the user's companies or of none, **-** records belong to no "
        "company. The **company2** column is what a user of a second company (with every "
        "group) may do with the first company's records.",
        "",
        "| model | addon | kind | company | " + " | ".join(roles) + " | notes |",
        "|" + "---|" * (len(roles) + 5),
    ]
    for row in matrix.MODELS:
        cells = " | ".join(row.cells[r] for r in roles)
        lines.append(
            f"| `{row.model}` | {row.addon} | {row.kind} | {row.company or '-'} | {cells} "
            f"| {row.note or ''} |"
        )
    lines += [
        "",
        "## Records hidden although the model may be read",
        "",
        "| model | role | does not see |",
        "|---|---|---|",
    ]
    for (model, role), (what, _domain) in matrix.LIMITS.items():
        lines.append(f"| `{model}` | {role} | {what} |")
    lines += ["", "## Fields seen in full by some roles only", ""]
    lines += ["| field | in full | the others |", "|---|---|---|"]
    for model, field, full, others in matrix.FIELDS:
        shown = ", ".join(r for r in roles if r in full)
        lines.append(f"| `{model}.{field}` | {shown} | {others} |")
    lines += [
        "",
        "## Reports",
        "",
        "Who may print which report (rendered with the reader's own rights; the others are "
        "not offered it or may read none of its records).",
        "",
        "| report | model | " + " | ".join(roles) + " |",
        "|" + "---|" * (len(roles) + 2),
    ]
    for report, (model, allowed) in sorted(matrix.REPORTS.items()):
        cells = " | ".join("yes" if r in allowed else "-" for r in roles)
        lines.append(f"| `{report}` | `{model}` | {cells} |")
    return "\n".join(lines) + "\n"


def outputs(addon):
    rst = render_rst(addon)
    return {
        ROOT / addon / "readme" / "API.md": api_fragment(addon),
        ROOT / addon / "README.rst": rst,
        ROOT / addon / "static" / "description" / "index.html": render_html(addon, rst),
    }


def addons():
    return [
        p.parent.name
        for p in sorted(ROOT.glob("*/__manifest__.py"))
        if (p.parent / "readme").is_dir()
    ]


def main(argv):
    check = "--check" in argv
    stale = []
    files = {ROOT / "ACCESS.md": render_access()}
    for addon in addons():
        files.update(outputs(addon))
    for path, text in files.items():
        if path.exists() and path.read_text() == text:
            continue
        stale.append(str(path.relative_to(ROOT)))
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if check and stale:
        print("out of date (run .venv/bin/python scripts/readme.py): " + ", ".join(stale))
        return 1
    print(("written: " + ", ".join(stale)) if stale else "all up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
