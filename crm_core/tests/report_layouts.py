"""The suite's reports on the two layouts a German or Czech company prints with (issue 18):
l10n_din5008's DIN 5008 layout, which Odoo's German charts (l10n_de) give their companies
and which hides a report's own heading (`.page > h2`) unless the report hands its title to
the layout (`din5008_document_title`), and Odoo's standard layout. The report is rendered
to a PDF by wkhtmltopdf (with the test server running: the layouts' styles apply, so a
hidden heading is really missing) and read back with pdftotext.

Used by the report tests of every addon (`from odoo.addons.crm_core.tests.report_layouts
import ReportLayoutsMixin`) on an HttpCase."""

from .pdf_text import pdf_text

DIN5008 = "l10n_din5008.external_layout_din5008"
STANDARD = "web.external_layout_standard"
LAYOUTS = (DIN5008, STANDARD)
# the paper each layout goes with: l10n_de gives its companies the DIN 5008 layout together
# with l10n_din5008's paper format (its margins leave room for the address field)
PAPER = {DIN5008: "l10n_din5008.paperformat_euro_din", STANDARD: "base.paperformat_euro"}


class ReportLayoutsMixin:
    def load_languages(self, modules, codes=("de_DE", "cs_CZ")):
        """German and Czech active, with the words of `modules` (their i18n files)."""
        for code in codes:
            self.env["res.lang"]._activate_lang(code)
        self.env["ir.module.module"]._load_module_terms(list(modules), list(codes))

    def render_on_layout(self, report_ref, records, layout, company, data=None):
        """The text of the PDF of `records` by report `report_ref`, with `company` printing
        on `layout` (an external id of LAYOUTS)."""
        view = self.env.ref(layout, raise_if_not_found=False)
        if not view:
            self.fail(f"{layout} is not installed (make test installs l10n_de, which brings it)")
        company.write(
            {"external_report_layout_id": view.id, "paperformat_id": self.env.ref(PAPER[layout]).id}
        )
        # wkhtmltopdf fetches the layout's styles from this test's own server
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_ref, res_ids=records.ids, data=data)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), pdf[:20])
        return pdf_text(pdf)

    def assert_report_on_layouts(
        self, report_ref, records, company, title, address=(), words=(), not_words=(), data=None
    ):
        """On the DIN 5008 and on the standard layout: the PDF shows `title`, the lines of
        the recipient's `address` block (each given line is on a line of the PDF, in this
        order), the `words` (in the customer's language) and none of `not_words` (the
        English ones); no address or list has empty parts (", ,", a line starting with a
        comma). Returns {layout: text}."""
        texts = {}
        for layout in LAYOUTS:
            with self.subTest(layout=layout):
                text = self.render_on_layout(report_ref, records, layout, company, data)
                texts[layout] = text
                flat = " ".join(text.split())
                self.assertIn(" ".join(title.split()), flat, f"title missing on {layout}")
                lines = [line.strip() for line in text.splitlines()]
                position = 0
                for part in address:
                    found = next(
                        (
                            i
                            for i, line in enumerate(lines[position:], start=position)
                            if part in line
                        ),
                        None,
                    )
                    self.assertIsNotNone(found, f"address line {part!r} missing on {layout}")
                    position = found
                for word in words:
                    self.assertIn(word, flat, f"{word!r} missing on {layout}")
                for word in not_words:
                    self.assertNotIn(word, flat, f"{word!r} (another language) on {layout}")
                self.assertNotRegex(flat, r",\s*,", f"empty part in a list on {layout}")
                for line in lines:
                    self.assertFalse(line.startswith(","), f"empty part in {line!r} on {layout}")
        return texts
