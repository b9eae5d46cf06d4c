"""res.partner: roles (customer, prospect, supplier ...) and the A/B/C class of the
customer in the current company, set by the ABC analysis or by hand."""

import logging
import random
import time
from collections import defaultdict

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Command

from ..tools import concurrency

_logger = logging.getLogger(__name__)

# attempts of the after-commit rank increase when another transaction wrote the partners
RANK_ATTEMPTS = 5


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_role_ids = fields.Many2many(
        "crm.partner.role",
        "crm_partner_role_rel",
        "partner_id",
        "role_id",
        string="Roles",
        domain="[('company_id', 'in', [False, current_company_id])]",
        help="What this partner is for us; several at once. Customer and supplier follow "
        "Odoo's customer and supplier ranks.",
        groups="crm_core.group_user",
    )
    # the class and the revenue behind it are for CRM users (and, the revenue, for invoicing):
    # other internal users read partners without them
    crm_class_id = fields.Many2one(
        "crm.partner.class",
        string="Class",
        company_dependent=True,
        groups="crm_core.group_user",
        domain="[('company_id', '=', current_company_id)]",
        help="Priority class in the current company, computed by the ABC analysis of "
        "revenue unless set by hand.",
    )
    crm_class_manual = fields.Boolean(
        "Class Set by Hand",
        company_dependent=True,
        groups="crm_core.group_user",
        help="The ABC analysis keeps a class set by hand until it is reset.",
    )
    crm_abc_revenue = fields.Float(
        "ABC Revenue",
        company_dependent=True,
        readonly=True,
        groups="crm_core.group_user,account.group_account_invoice",
        help="Revenue (posted customer invoices minus credit notes, untaxed, company "
        "currency) of the ABC period at the last analysis.",
    )

    # The Customers menu lists the customers most invoiced first (Odoo's customer search mode:
    # customer_rank DESC, then the partner order): read in this order from the index, the
    # first page costs a few rows, not a sort of every customer (1.4 s with 100,000).
    _crm_customer_order_idx = models.Index("(customer_rank DESC, complete_name, id DESC)")

    def _crm_track_class_changes(self, old_classes):
        """Log a class set by hand in the chatter, like the ABC analysis does (mail's own
        tracking does not follow company-dependent fields): one tracking message per
        changed partner, all created together (a mass edit of 30 partners costs the queries
        of one)."""
        changes, names = [], {}
        for partner in self:
            before, after = old_classes[partner.id], partner.crm_class_id
            if before != after:
                changes.append((partner.id, before.id or None, after.id or None))
                names.update((cls.id, cls.display_name) for cls in before | after)
        if not changes:
            return
        self._crm_log_class_changes(changes, self._crm_note_values(), names)
        self._crm_on_class_changes(self.env.company, changes, by_hand=True)

    @api.model
    def _crm_note_values(self):
        """The values of a note in a partner's chatter as mail.thread._message_log gives
        them (author, sender, reply-to, subtype ...), for many partners at once: the class
        changes by hand, and the ABC analysis (both of its paths)."""
        author_id, email_from = self._message_compute_author()
        return {
            "author_id": author_id,
            "email_from": email_from,
            "model": self._name,
            "record_alias_domain_id": False,
            "record_company_id": False,
            "message_type": "notification",
            "is_internal": True,
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "body": "",
            "email_add_signature": False,
            "reply_to": self.env["mail.thread"]._notify_get_reply_to(
                default=email_from, author_id=author_id
            )[False],
        }

    @api.model
    def _crm_log_class_changes(self, changes, note, names):
        """A tracking message per class change ((partner_id, old_class_id, new_class_id)
        with the note values `note` and the classes' names `names` {id: name}), created
        together: one create of the messages, one of the tracking values (as commands of
        each message they would be inserted one by one)."""
        field = self.env["ir.model.fields"]._get("res.partner", "crm_class_id")
        messages = self.sudo()._message_create(
            [{**note, "res_id": partner_id} for partner_id, _old, _new in changes]
        )
        self.env["mail.tracking.value"].sudo().create(
            [
                {
                    "field_id": field.id,
                    "mail_message_id": message.id,
                    "old_value_integer": old or 0,
                    "old_value_char": names.get(old, ""),
                    "new_value_integer": new or 0,
                    "new_value_char": names.get(new, ""),
                }
                for message, (_partner, old, new) in zip(messages, changes, strict=True)
            ]
        )

    @api.model
    def _crm_on_class_changes(self, company, changes, by_hand):
        """Extension point, called once per ABC run and once per write that sets classes
        by hand, with every class change of `company` in it: `changes` is a list of
        (partner_id, old_class_id, new_class_id) tuples (ids or None). Overrides must treat
        the list in batch (it holds every customer after a first ABC run). crm_chronicle
        logs a "class_change" entry per partner here. Nothing to do in crm_core."""
        return None

    def _crm_check_class_access(self):
        if self.env.su or self.env.user.has_group("crm_core.group_manager"):
            return
        raise AccessError(self.env._("Only CRM managers can set the class of a customer by hand."))

    def _crm_sync_roles_and_ranks(self):
        """Keep roles and Odoo ranks consistent, in a constant number of queries: a positive
        rank gives the linked role (a customer is no prospect any more), a linked role gives
        a positive rank. Also when an invoicing user without CRM rights posts the first
        invoice of a customer (roles read and written with sudo)."""
        partners = self.sudo()
        Role = self.env["crm.partner.role"]
        for rank in ("customer", "supplier"):
            role = Role._get_by_code(rank)
            if not role:
                continue
            field = f"{rank}_rank"
            missing_role = partners.filtered(
                lambda p, r=role, f=field: p[f] > 0 and r not in p.crm_role_ids
            )
            if missing_role:
                commands = [Command.link(role.id)]
                if rank == "customer" and (prospect := Role._get_by_code("prospect")):
                    commands.append(Command.unlink(prospect.id))
                missing_role.write({"crm_role_ids": commands})
            missing_rank = partners.filtered(
                lambda p, r=role, f=field: not p[f] and r in p.crm_role_ids
            )
            if missing_rank:
                missing_rank.write({field: 1})

    # ------------------------------------------------------------------------------------------
    # Odoo's customer and supplier ranks, written safely next to other writers of the partner
    # ------------------------------------------------------------------------------------------
    def _increase_rank(self, field, n=1):
        """Odoo's rank counter (account's res.partner._increase_rank, called when invoices
        and bills are posted), safe when other transactions write the same partner rows at
        the same time (the ABC analysis on another server writes the classes of every
        customer; a user edits the customer).

        Odoo writes a rank of 0 in the posting transaction and defers other increases to
        after the commit. Both UPDATEs are refused by PostgreSQL when the row changed after
        the transaction's snapshot, and Odoo logs the refusal as a "bad query" (and, after
        the commit, drops the increase). Here the rows are locked first, in id order
        (concurrency.lock: without a log line): a refusal in the posting transaction
        fails it for Odoo's retrying (the request runs again, as it would have after the
        refused UPDATE); after the commit the increase is tried again on a fresh snapshot,
        a few times, so it is not lost."""
        if field not in ("customer_rank", "supplier_rank") or not self:
            return super()._increase_rank(field, n)
        partners = self.sudo()
        later = partners.filtered(lambda p, f=field: p.id and p[f])
        now = partners - later
        if now:
            concurrency.lock(now.filtered("id"))
            super(ResPartner, now)._increase_rank(field, n)
        if later:
            later._crm_increase_rank_after_commit(field, n)
        return None

    def _crm_increase_rank_after_commit(self, field, n):
        """Add `n` to `field` of these partners (whose rank is already positive) after the
        commit of the current transaction, in a transaction of its own that locks the rows
        first; one such transaction for all increases of the current one (as Odoo does)."""
        postcommit = self.env.cr.postcommit
        data = postcommit.data.setdefault(f"crm_core.increase_rank.{field}", defaultdict(int))
        registered = bool(data)
        for partner in self:
            data[partner.id] += n
        if registered:
            return
        env = self.env

        @postcommit.add
        def crm_increase_partner_rank():
            for attempt in range(1, RANK_ATTEMPTS + 1):
                try:
                    with env.registry.cursor() as cr:
                        partners = (
                            env(cr=cr)["res.partner"]
                            .sudo()
                            .browse(sorted(data))
                            .with_context(prefetch_fields=False)
                        )
                        concurrency.lock(partners)
                        for partner in partners.exists():
                            partner[field] += data[partner.id]
                    data.clear()
                    return
                except psycopg2.errors.SerializationFailure:
                    # the rows changed after this transaction began: a fresh one sees them
                    time.sleep(random.uniform(0.05, 0.2) * attempt)
            _logger.info(
                "%s of %d partners not increased: other transactions kept writing them",
                field,
                len(data),
            )

    def action_crm_reset_class(self):
        """Forget the class set by hand and take the one the ABC analysis gives."""
        self._crm_check_class_access()
        self.check_access("write")
        commercial = self.commercial_partner_id
        commercial.sudo().with_context(crm_abc=True).write({"crm_class_manual": False})
        self.env["crm.abc.analysis"]._run(self.env.company, partner_ids=commercial.ids)
        return True
