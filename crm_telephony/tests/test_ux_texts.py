"""Texts a German or Czech office reads (issue 20): the line of a Fritz!Box is a telephone
line ("Leitung", "Linka"), not a line of text ("Zeile", "Řádek")."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTelephonyTexts(TransactionCase):
    def test_line_is_a_telephone_line(self):
        langs = {"de_DE": ("Leitung", "Leitungen"), "cs_CZ": ("Linka", "Linky")}
        for code in langs:
            self.env["res.lang"]._activate_lang(code)
        self.env["ir.module.module"]._load_module_terms(
            ["crm_telephony"], list(langs), overwrite=True
        )
        for code, (line, lines) in langs.items():
            env = self.env(context={"lang": code})
            call = env["crm.phone.call"]._fields["line_id"]
            self.assertEqual(call.get_description(env)["string"], line)
            box = env["crm.telephony.box"]._fields["line_ids"]
            self.assertEqual(box.get_description(env)["string"], lines)
            search = env["crm.phone.call"].get_views([(False, "search")])["views"]["search"]
            self.assertIn(f'string="{line}"', search["arch"])
