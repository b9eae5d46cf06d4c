from odoo import api, fields, models
from odoo.tools import SQL


class CrmChronicleEntry(models.Model):
    """Class changes (the ABC analysis, classes set by hand) in the chronicle: one "Class
    Change" entry per changed partner, in the partner's language."""

    _inherit = "crm.chronicle.entry"

    @api.model
    def _log_class_changes(self, company, changes, by_hand, now=None):
        """Log one "class_change" entry per (partner_id, old_class_id, new_class_id) of
        `changes` (ids or None), subject in the partner's language (else the company's),
        linked to the new class, as superuser in `company` without tracking: a first ABC
        analysis of every customer takes the fast path of _log_rows. Returns the number of
        entries written."""
        if not changes:
            return 0
        user = self.env.user if not self.env.user.share else self.env.ref("base.user_root")
        Entry = (
            self.sudo()
            .with_company(company)
            .with_context(mail_create_nosubscribe=True, tracking_disable=True)
        )
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        fallback = next(
            (lang for lang in (company.partner_id.lang, self.env.lang) if lang in langs),
            langs[0] if langs else "en_US",
        )
        subjects = self._class_change_subjects(changes, by_hand, langs or [fallback])
        self.env["res.partner"].flush_model(["lang"])
        # (one query for the languages of all partners: a first analysis changes 200,000;
        # their ids as one array literal, which PostgreSQL reads much faster than as many
        # constants)
        language = {
            partner_id: lang if lang in langs else fallback
            for partner_id, lang in self.env.execute_query(
                SQL(
                    "SELECT id, lang FROM res_partner WHERE id = ANY(%s::int4[])",
                    "{" + ",".join(str(int(partner_id)) for partner_id, _o, _n in changes) + "}",
                )
            )
        }
        type_id = Entry._log_types("class_change", {"class_change"})["class_change"].id
        now = now or fields.Datetime.now()
        # one value for all entries, or one per entry (see tools/fastpath.insert)
        columns = {
            "partner_id": [partner_id for partner_id, _old, _new in changes],
            "type_id": type_id,
            "name": [
                subjects[language.get(partner_id, fallback), old or 0, new or 0]
                for partner_id, old, new in changes
            ],
            "description": False,
            "date": now,
            "user_id": user.id,
            "duration": 0.0,
            "state": "done",
            "source_model": ["crm.partner.class" if new else False for _p, _old, new in changes],
            "source_id": [new or False for _p, _old, new in changes],
            "company_id": False,
        }
        entries = Entry._log_fast(columns, len(changes))
        if entries is None:
            entries = Entry._log_rows(
                [
                    {
                        name: values[index] if isinstance(values, list) else values
                        for name, values in columns.items()
                    }
                    for index in range(len(changes))
                ]
            )
        return len(entries)

    @api.model
    def _class_change_subjects(self, changes, by_hand, langs):
        """{(lang, old_class_id or 0, new_class_id or 0): subject} of `changes`."""
        pairs = {(old or 0, new or 0) for _partner, old, new in changes}
        classes = (
            self.env["crm.partner.class"].sudo().browse({c for pair in pairs for c in pair if c})
        )
        subjects = {}
        for lang in langs:
            env = self.with_context(lang=lang).env
            names = {c.id: c.name for c in classes.with_context(lang=lang)}
            none = env._("none")
            for old, new in pairs:
                values = {"old": names.get(old, none), "new": names.get(new, none)}
                subjects[lang, old, new] = (
                    env._("Class set by hand: %(old)s → %(new)s", **values)
                    if by_hand
                    else env._("ABC analysis: class %(old)s → %(new)s", **values)
                )
        return subjects
