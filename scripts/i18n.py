"""Translations of the CRM suite: .pot export, merge into de.po / cs.po, checks.

Used by `scripts/suite.py i18n` (`make i18n`) and by `make test`; also a command of its own:

    .venv/bin/python scripts/i18n.py missing [LANG...]   list untranslated or fuzzy entries
    .venv/bin/python scripts/i18n.py merge               merge each .pot into de.po and cs.po
    .venv/bin/python scripts/i18n.py check               the checks of `make test` on the files only
    .venv/bin/python scripts/i18n.py apply FILE.json     fill untranslated or fuzzy entries from
                                        {"msgid": {"de": "...", "cs": "..."}, ...}
    .venv/bin/python scripts/i18n.py todo FILE.json      write what is missing in that format

The .pot files come from Odoo's own exporter (`odoo.tools.translate.trans_export`, what
`odoo-bin i18n export` calls) run inside `odoo-bin shell` on a database with all our addons
installed: `export()` below. Merging and checking use polib (one of Odoo's requirements).
"""

import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = {
    "de": ("German", "nplurals=2; plural=(n != 1);"),
    "cs": ("Czech", "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"),
}
# Translations made ahead of the strings' arrival (e.g. for branches not merged yet):
# {"msgid": {"de": "...", "cs": "..."}}; `make i18n` fills empty entries from it.
MEMORY = ROOT / "scripts" / "i18n_memory.json"
DATE_LINE = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*$', re.M)
# printf-style and format-style placeholders that a translation must keep
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")


def export(env, addons, outdir):
    """Inside odoo-bin shell: write <outdir>/<addon>.pot for each addon."""
    from odoo.tools.translate import trans_export  # noqa: PLC0415

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    for addon in addons:
        buffer = io.BytesIO()
        trans_export(None, [addon], buffer, "po", env)
        (outdir / f"{addon}.pot").write_bytes(buffer.getvalue())
    print("I18N-EXPORT-DONE", flush=True)


def normalized(text):
    """A .pot without its creation dates (they change on every export)."""
    return DATE_LINE.sub("", text)


def install_pots(exported_dir, addons):
    """Copy exported .pot files into the addons when their content changed; return changed."""
    changed = []
    for addon in addons:
        new = (Path(exported_dir) / f"{addon}.pot").read_text()
        target = ROOT / addon / "i18n" / f"{addon}.pot"
        if target.exists() and normalized(target.read_text()) == normalized(new):
            continue
        target.parent.mkdir(exist_ok=True)
        target.write_text(new)
        changed.append(addon)
    return changed


def _key(entry):
    return (entry.msgctxt, entry.msgid)


def merge(addon):
    """Bring i18n/<lang>.po of addon in line with its .pot: same entries, same order and
    references; translations (and their fuzzy flag) kept by msgid; vanished entries dropped."""
    import polib  # noqa: PLC0415

    i18n = ROOT / addon / "i18n"
    pot = polib.pofile(str(i18n / f"{addon}.pot"))
    for lang, (name, plural) in LANGS.items():
        path = i18n / f"{lang}.po"
        old = polib.pofile(str(path)) if path.exists() else None
        known = {_key(e): e for e in old} if old else {}
        po = polib.POFile(wrapwidth=pot.wrapwidth)
        po.header = pot.header
        po.metadata = dict(old.metadata) if old else dict(pot.metadata)
        po.metadata.update({"Language": lang, "Plural-Forms": plural})
        po.metadata.pop("POT-Creation-Date", None)
        po.metadata.pop("PO-Revision-Date", None)
        po.metadata.setdefault("Language-Team", name)
        for entry in pot:
            previous = known.get(_key(entry))
            new = polib.POEntry(
                msgid=entry.msgid,
                msgctxt=entry.msgctxt,
                msgid_plural=entry.msgid_plural,
                comment=entry.comment,
                tcomment=entry.tcomment,
                occurrences=entry.occurrences,
                flags=[f for f in entry.flags if f != "fuzzy"],
                msgstr=previous.msgstr if previous else "",
            )
            if previous and "fuzzy" in previous.flags:
                new.flags.append("fuzzy")
            po.append(new)
        po.save(str(path))


def problems(addons, exported_dir=None):
    """What makes the translation check of `make test` fail, one line each."""
    import polib  # noqa: PLC0415

    found = []
    for addon in addons:
        i18n = ROOT / addon / "i18n"
        pot_path = i18n / f"{addon}.pot"
        if not pot_path.exists():
            found.append(f"{addon}: i18n/{addon}.pot is missing (run `make i18n`)")
            continue
        if exported_dir is not None:
            fresh = (Path(exported_dir) / f"{addon}.pot").read_text()
            if normalized(fresh) != normalized(pot_path.read_text()):
                found.append(f"{addon}: i18n/{addon}.pot is out of date (run `make i18n`)")
        pot = polib.pofile(str(pot_path))
        for lang in LANGS:
            path = i18n / f"{lang}.po"
            if not path.exists():
                found.append(f"{addon}: i18n/{lang}.po is missing (run `make i18n`)")
                continue
            po = {_key(e): e for e in polib.pofile(str(path))}
            for entry in pot:
                tr = po.get(_key(entry))
                where = f"{addon} {lang}.po: {entry.msgid[:60]!r}"
                if tr is None:
                    found.append(f"{where} is not in the file (run `make i18n`)")
                elif not tr.msgstr.strip():
                    found.append(f"{where} is not translated")
                elif "fuzzy" in tr.flags:
                    found.append(f"{where} is fuzzy")
                elif sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(
                    PLACEHOLDER.findall(tr.msgstr)
                ):
                    found.append(f"{where}: the translation changes the placeholders")
    return found


def known_translations(addons):
    """{msgid: {lang: translation}} of every translated entry of the addons' .po files."""
    import polib  # noqa: PLC0415

    table = {}
    for addon in addons:
        for lang in LANGS:
            path = ROOT / addon / "i18n" / f"{lang}.po"
            if path.exists():
                for entry in polib.pofile(str(path)):
                    if entry.msgstr.strip() and "fuzzy" not in entry.flags:
                        table.setdefault(entry.msgid, {}).setdefault(lang, entry.msgstr)
    return table


def apply_memory(addons):
    """Fill untranslated entries with the translation the same text has in another addon,
    or from scripts/i18n_memory.json (translations made ahead); return the count."""
    import contextlib  # noqa: PLC0415
    import json  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    table = known_translations(addons)
    if MEMORY.exists():
        for msgid, langs in json.loads(MEMORY.read_text()).items():
            for lang, text in langs.items():
                if text.strip():
                    table.setdefault(msgid, {}).setdefault(lang, text)
    with tempfile.NamedTemporaryFile("w", suffix=".json") as tmp:
        json.dump(table, tmp)
        tmp.flush()
        with contextlib.redirect_stdout(io.StringIO()) as out:
            apply_or_todo("apply", Path(tmp.name), addons)
    return int(out.getvalue().split()[0])


def apply_or_todo(command, path, addons):
    """apply: write translations of a JSON file into the .po files where an entry is empty
    or fuzzy; todo: write the untranslated entries of all addons into such a file."""
    import json  # noqa: PLC0415

    import polib  # noqa: PLC0415

    table = json.loads(path.read_text()) if command == "apply" else {}
    filled = 0
    for addon in addons:
        for lang in LANGS:
            po_path = ROOT / addon / "i18n" / f"{lang}.po"
            if not po_path.exists():
                continue
            po = polib.pofile(str(po_path))
            changed = False
            for entry in po:
                if entry.msgstr.strip() and "fuzzy" not in entry.flags:
                    continue
                if command == "todo":
                    table.setdefault(entry.msgid, dict.fromkeys(LANGS, ""))
                elif table.get(entry.msgid, {}).get(lang, "").strip():
                    entry.msgstr = table[entry.msgid][lang]
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")
                    changed = True
                    filled += 1
            if changed:
                po.save(str(po_path))
    if command == "todo":
        path.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n")
        print(f"{len(table)} entries to translate written to {path}")
    else:
        print(f"{filled} entries filled")
    return 0


def main(argv):
    addons = [p.parent.name for p in sorted(ROOT.glob("*/__manifest__.py"))]
    command = argv[1] if len(argv) > 1 else "missing"
    if command == "merge":
        for addon in addons:
            if (ROOT / addon / "i18n" / f"{addon}.pot").exists():
                merge(addon)
        return 0
    if command == "check":
        found = problems(addons)
        print("\n".join(found) or "translations complete")
        return 1 if found else 0
    if command in ("apply", "todo"):
        return apply_or_todo(command, Path(argv[2]), addons)
    if command == "missing":
        import polib  # noqa: PLC0415

        langs = argv[2:] or list(LANGS)
        count = 0
        for addon in addons:
            for lang in langs:
                path = ROOT / addon / "i18n" / f"{lang}.po"
                if not path.exists():
                    continue
                for entry in polib.pofile(str(path)):
                    if not entry.msgstr.strip() or "fuzzy" in entry.flags:
                        count += 1
                        print(f"{addon}\t{lang}\t{entry.msgid!r}")
        print(f"{count} entries to translate", file=sys.stderr)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
