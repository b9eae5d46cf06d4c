"""A bad night, part three: the database of the previous release upgrades (issue #23).

The previous release is the last commit of the suite's previous round of work
(ops_harness.PREVIOUS_RELEASE, 2026-11-27, crm_core 19.0.1.0.0): the six addons as they were
released then, before the restructuring of crm_billing_sepa into sepa/billing packages, the
identifier table's new kinds, the DATEV, POHODA and e-invoice models, the turn table, the
class fields for CRM users only, the demo data as data files with crm_core's migration
19.0.1.0.1, and everything since. Every schema change of the suite since then lies on the
way from it to HEAD, so this is the upgrade a customer of that release makes.

Its addons are taken out of the repository's history (`git archive`, no working tree
touched) and installed with demo data into a new database on the same Odoo, in the
background while the other ops tests run (conftest.previous_release); then the current
addons upgrade it (`odoo-bin -u`, what README's "In production" describes). Then: the upgrade
ends without error and without an unexpected WARNING/ERROR, the partners, chronicle entries
and mandates are all there with their data, and no column of a field that went away still
holds data nobody reads any more (data that moved needs a migration script).
"""

import subprocess

from ops_harness import ROOT, bad_log_lines, odoo_bin, suite

# what must come through the upgrade unchanged: table -> columns (present in both releases)
KEPT = {
    "res_partner": "id, name, email, phone, vat, street, zip, city, country_id, parent_id, "
    "is_company, active, company_id",
    "crm_chronicle_entry": "id, name, partner_id, type_id, date, user_id, state, description, "
    "private, company_id",
    "crm_chronicle_resubmission": "id, entry_id, date, all_day, user_id, note, state",
    "crm_sepa_mandate": "id, name, partner_id, bank_account_id, company_id, signature_date, "
    "scheme, mandate_type, sequence_type, state, last_debit_date",
    "res_partner_bank": "id, partner_id, acc_number, sanitized_acc_number",
    "crm_phone_call": "id, partner_id, box_id, start, number, duration",
    "crm_scan_document": "id, name, partner_id, state, attachment_id, page_count",
}
# columns that are no field by design (or fields that went away on purpose): why
NOT_FIELDS = {
    "crm_scan_document.ocr_tsv": "the full-text search's generated tsvector column "
    "(crm_scan_document.py, init)",
    **{
        f"crm_turn.{column}": "the turn table of concurrent jobs, an abstract model's table "
        "written by SQL only (crm_core/models/crm_turn.py)"
        for column in ("name", "key", "turns")
    },
}


def _snapshot(cluster, db):
    """{table: {id: row}} of the KEPT columns, and {table: ids of records that our addons'
    data files define} (an upgrade loads those files again: such a record may change, as
    Odoo intends, but must not go away)."""
    rows, defined = {}, {}
    for table, columns in KEPT.items():
        rows[table] = {row[0]: row for row in cluster.query(db, f"SELECT {columns} FROM {table}")}
        defined[table] = {
            res_id
            for (res_id,) in cluster.query(
                db,
                "SELECT res_id FROM ir_model_data WHERE replace(model, '.', '_') = %s "
                "AND module = ANY(%s)",
                [table, suite.our_addons()],
            )
        }
    return rows, defined


def test_previous_release_upgrades(cluster, previous_release):
    db = previous_release.wait()
    addons = ",".join(suite.our_addons())
    before, defined = _snapshot(cluster, db)
    for table in ("res_partner", "crm_chronicle_entry", "crm_sepa_mandate"):
        assert before[table], f"the previous release's demo data has no {table}"

    upgrade_log = cluster.log_dir / "ops-upgrade.log"
    with open(upgrade_log, "w") as handle:
        rc = subprocess.run(
            odoo_bin(cluster, ROOT, "-d", db, "-u", addons),
            stdout=handle,
            stderr=subprocess.STDOUT,
            check=False,
        ).returncode
    assert rc == 0, f"the upgrade failed, see {upgrade_log}"
    states = cluster.query(
        db,
        "SELECT name, state, latest_version FROM ir_module_module WHERE name = ANY(%s)",
        [suite.our_addons()],
    )
    assert {state for _name, state, _version in states} == {"installed"}, states
    versions = {name: version for name, _state, version in states}
    for name in suite.our_addons():
        manifest = (ROOT / name / "__manifest__.py").read_text()
        assert f'"version": "{versions[name]}"' in manifest, (name, versions[name])
    bad = bad_log_lines([upgrade_log])
    assert not bad, "\n".join(bad[:30])

    after, _defined = _snapshot(cluster, db)
    for table, rows in before.items():
        lost = sorted(set(rows) - set(after[table]))
        assert not lost, f"{table}: records lost by the upgrade: {lost[:10]}"
        changed = [
            (row, after[table][row_id])
            for row_id, row in sorted(rows.items())
            if row_id not in defined[table] and after[table][row_id] != row
        ]
        assert not changed, f"{table}: data changed by the upgrade (before, after): {changed[:3]}"

    # a field that went away but whose column still holds data: moved data without a
    # migration script (Odoo keeps the column of a removed field, nobody reads it). Our
    # models' tables (crm.*), and our columns (crm_...) in Odoo's models' tables.
    stranded = []
    for table, column in cluster.query(
        db,
        r"""SELECT c.table_name, c.column_name
              FROM information_schema.columns c
              JOIN ir_model m ON replace(m.model, '.', '_') = c.table_name
             WHERE c.table_schema = 'public'
               AND (c.column_name LIKE 'crm\_%' OR m.model LIKE 'crm.%')
               AND NOT EXISTS (
                    SELECT 1 FROM ir_model_fields f
                     WHERE f.model_id = m.id AND f.name = c.column_name AND f.store)""",
    ):
        if f"{table}.{column}" in NOT_FIELDS:
            continue
        filled = cluster.query(db, f'SELECT count(*) FROM "{table}" WHERE "{column}" IS NOT NULL')
        if filled[0][0]:
            stranded.append(f"{table}.{column}: {filled[0][0]} rows")
    assert not stranded, f"columns of removed fields still hold data: {stranded}"
