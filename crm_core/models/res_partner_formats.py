"""res.partner: customers written in the contact formats of other systems (Outlook, Google,
vCard, DATEV Debitoren/Kreditoren, POHODA address book, lexoffice, sevDesk, CSV/XLSX) - the
export side of the customer import (wizards/crm_partner_import.py)."""

import base64
import datetime

from odoo import api, models
from odoo.tools import html2plaintext

from ..tools.boundary import Records, Selection, public
from ..tools.formats import Contact, datev, google, lexoffice, outlook, pohoda, sevdesk, tabular

EXPORT_FORMATS = {
    "outlook": ("outlook.csv", "text/csv"),
    "google": ("google.csv", "text/csv"),
    "vcard": ("contacts.vcf", "text/vcard"),
    "datev": ("EXTF_Debitoren_Kreditoren.csv", "text/csv"),
    "pohoda": ("adresar.xml", "application/xml"),
    "lexoffice": ("lexoffice.csv", "text/csv"),
    "sevdesk": ("sevdesk.csv", "text/csv"),
    "csv": ("contacts.csv", "text/csv"),
    "xlsx": (
        "contacts.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _crm_contacts(self):
        """formats.Contact of each partner of self, in order (a few queries for all)."""
        self.fetch(["name", "is_company", "parent_id", "street", "street2", "zip", "city"])
        # complete account numbers only for who may see them (res_partner_bank_privacy.py)
        Bank = self.env["res.partner.bank"]
        banks = Bank.sudo().browse()
        if Bank._crm_number_visible():
            banks = Bank.sudo().search_fetch(
                [("partner_id", "in", self.ids)],
                ["partner_id", "acc_number", "bank_bic"],
                order="sequence, id",
            )
        by_partner = {}
        for bank in banks:
            by_partner.setdefault(bank.partner_id.id, []).append(
                {"iban": bank.acc_number, "bic": bank.bank_bic or ""}
            )
        contacts = []
        for partner in self:
            person = not partner.is_company
            contact = Contact(
                is_company=partner.is_company,
                name=partner.name or "",
                company_name=partner.parent_id.name or "" if person else "",
                title=(partner.crm_title or "") if person else "",
                function=(partner.function or "") if person else "",
                department=(partner.crm_department or "") if person else "",
                street=partner.street or "",
                street2=partner.street2 or "",
                zip=partner.zip or "",
                city=partner.city or "",
                state=partner.state_id.name or "",
                country=partner.country_id.code or "",
                phone=partner.phone or "",
                email=partner.email or "",
                website=partner.website or "",
                vat=partner.vat or "",
                company_registry=partner.company_registry or "",
                ref=partner.ref or "",
                debtor_number=partner.crm_debtor_number or "",
                creditor_number=partner.crm_creditor_number or "",
                bank_accounts=by_partner.get(partner.id, []),
                tags=partner.category_id.mapped("name"),
                note=html2plaintext(partner.comment or "").strip() if partner.comment else "",
                birthday=partner.crm_birthday if person else None,
                lang=(partner.lang or "")[:2],
                external_id=str(partner.id),
            )
            contacts.append(contact)
        return contacts

    @api.model
    @public(partners=Records("res.partner"), export_format=Selection(list(EXPORT_FORMATS)))
    def crm_export_contacts(self, partners, export_format):
        """The partners (ids) as a file of another system: "outlook", "google", "vcard",
        "datev" (Debitoren/Kreditoren of their debtor and creditor numbers in the current
        company), "pohoda" (address book), "lexoffice", "sevdesk", "csv" or "xlsx". Returns
        {"filename", "mimetype", "file" (base64)}."""
        partners.check_access("read")
        contacts = partners._crm_contacts()
        data = _write(self.env, export_format, contacts, partners)
        filename, mimetype = EXPORT_FORMATS[export_format]
        return {"filename": filename, "mimetype": mimetype, "file": base64.b64encode(data).decode()}


def _write(env, export_format, contacts, partners):
    if export_format == "outlook":
        return outlook.write(contacts)
    if export_format == "google":
        return google.write(contacts)
    if export_format == "vcard":
        return partners._crm_vcard_text().encode()
    if export_format == "lexoffice":
        return lexoffice.write(contacts)
    if export_format == "sevdesk":
        return sevdesk.write(contacts)
    if export_format == "pohoda":
        return pohoda.write_addressbook(contacts, ico=env.company.company_registry or "")
    if export_format == "datev":
        company = env.company
        rows = []
        for contact in contacts:
            for number in (contact.debtor_number, contact.creditor_number):
                if number and number.isdigit():
                    rows.append(datev.partner_row(contact, number))
        header = datev.Header(
            datev.PARTNERS,
            consultant=getattr(company, "crm_datev_consultant_number", 0) or 1001,
            client=getattr(company, "crm_datev_client_number", 0) or 1,
            fiscal_year_start=company.compute_fiscalyear_dates(datetime.date.today())["date_from"]
            if hasattr(company, "compute_fiscalyear_dates")
            else datetime.date.today().replace(month=1, day=1),
            account_length=getattr(company, "crm_datev_account_length", 4) or 4,
            created=datetime.datetime.now().replace(microsecond=0),
            label="Odoo Debitoren/Kreditoren",
        )
        return datev.write(header, rows)
    headings = [heading for heading, _field in tabular.GENERIC_COLUMNS]
    rows = [tabular.generic_row(contact) for contact in contacts]
    if export_format == "xlsx":
        return tabular.write_xlsx(headings, rows)
    return tabular.write_csv(headings, rows, delimiter=";")
