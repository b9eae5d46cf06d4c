"""The fast path of the ABC analysis: the new classes and revenues of a company's customers
written by one SQL statement into res_partner, with the chatter's tracking messages
(mail_message, mail_tracking_value) of every class change.

One entry, `apply(env, company, ranking, note)`, called by crm.abc.analysis._run when
`fastpath.enabled(env)` and `applicable(env)`; otherwise the analysis writes the same through
the ORM (crm.abc.analysis._apply_with_orm). Both produce the same rows
(tests/test_crm_abc_fastpath.py compares them column by column).

What the statement writes, and what it leaves to the ORM:
- res_partner: the company's keys of the company-dependent jsonb columns crm_class_id and
  crm_abc_revenue, and write_uid and write_date of the rows it changes (as the ORM's write);
- mail_message: one note per class change, with the columns Odoo's _message_log fills
  (author, sender, reply-to, subtype, internal, message id in Odoo's format);
- mail_tracking_value: the old and the new class of each message.
It steps aside (`applicable` is False) while a stored field of another module depends on the
written partner fields (it would need the ORM's recomputation), a module that knows them
(it depends on crm_core) overrides the partners' write (the UPDATE would skip it; the
suite's own overrides in REVIEWED_WRITES were read and do not react to them), or
mail.message or mail.tracking.value have stored fields with defaults or computations that
mail does not define (a module added them: the INSERT would leave them empty).
"""

import socket

from odoo.tools import SQL

from . import fastpath

# the partner fields the statement writes
WRITTEN = ("crm_class_id", "crm_abc_revenue")
# overrides of the partners' write by modules of the suite that know these fields and were
# read: they do not react to them (crm_routing queues geocoding when an address changes)
REVIEWED_WRITES = ("crm_routing",)
# the columns of mail_message and mail_tracking_value it fills (the others take their
# database default or stay empty, as with Odoo's own _message_log)
MESSAGE_COLUMNS = {
    "model",
    "res_id",
    "message_type",
    "subtype_id",
    "author_id",
    "email_from",
    "reply_to",
    "record_alias_domain_id",
    "record_company_id",
    "body",
    "date",
    "is_internal",
    "email_add_signature",
    "message_id",
}
TRACKING_COLUMNS = {
    "field_id",
    "mail_message_id",
    "old_value_integer",
    "old_value_char",
    "new_value_integer",
    "new_value_char",
}


def applicable(env):
    """Whether the statement writes all that the ORM would (see the module's docstring)."""
    partner = env["res.partner"]
    registry = env.registry
    for name in WRITTEN:
        for dependent in registry.get_dependent_fields(partner._fields[name]):
            if (
                dependent.store
                and dependent.model_name != "res.partner"
                or (dependent.store and dependent.name not in WRITTEN)
            ):
                return False
    if fastpath.knowing_overrides(partner, ("write", "_write"), {"crm_core"}, REVIEWED_WRITES):
        return False
    for model, handled in (
        ("mail.message", MESSAGE_COLUMNS),
        ("mail.tracking.value", TRACKING_COLUMNS),
    ):
        for name, field in env[model]._fields.items():
            if (
                field.store
                and field.type not in ("one2many", "many2many")
                and (field.default or field.compute)
                and name not in handled
                and field._module not in ("mail", "base", None)
            ):
                return False
    return True


def apply(env, company, ranking, note):
    """Write the classes and revenues that the SQL `ranking` gives (a query with the columns
    partner_id, revenue, old_revenue, old_class_id, manual, class_id) for `company`, and a tracking
    message per class change with the values `note` (res.partner._crm_note_values()).
    Returns the class changes: [(partner_id, old_class_id, new_class_id)]."""
    key = str(company.id)
    field = env["ir.model.fields"]._get("res.partner", "crm_class_id")
    query = SQL(
        """
WITH result AS (%(ranking)s),
updated AS (
    UPDATE res_partner p
       SET crm_abc_revenue = CASE WHEN COALESCE(x.old_revenue, 0) = ROUND(x.revenue::numeric, 2)
                                  THEN p.crm_abc_revenue
                                  ELSE COALESCE(p.crm_abc_revenue, '{}'::jsonb)
                                       || jsonb_build_object(%(key)s, ROUND(x.revenue::numeric, 2))
                              END,
           crm_class_id = CASE WHEN x.manual THEN p.crm_class_id
                               ELSE COALESCE(p.crm_class_id, '{}'::jsonb)
                                    || jsonb_build_object(%(key)s, x.class_id) END,
           write_uid = %(uid)s,
           write_date = NOW() AT TIME ZONE 'UTC'
      FROM result x
     WHERE p.id = x.partner_id
       AND (COALESCE(x.old_revenue, 0) <> ROUND(x.revenue::numeric, 2)
            OR (NOT x.manual AND x.class_id IS DISTINCT FROM x.old_class_id))
    RETURNING p.id
),
changed AS (
    SELECT x.partner_id, x.old_class_id, x.class_id
      FROM result x
     WHERE NOT x.manual AND x.class_id IS DISTINCT FROM x.old_class_id
),
messages AS (
    INSERT INTO mail_message (model, res_id, message_type, subtype_id, author_id, email_from,
                              reply_to, record_alias_domain_id, record_company_id, body, date,
                              is_internal, email_add_signature, message_id,
                              create_uid, create_date, write_uid, write_date)
    SELECT 'res.partner', ch.partner_id, %(message_type)s, %(subtype)s, %(author)s,
           %(email_from)s, %(reply_to)s, %(alias_domain)s, %(record_company)s, %(body)s,
           NOW() AT TIME ZONE 'UTC', %(internal)s, %(signature)s,
           '<' || lpad(floor(random() * 1e15)::bigint::text, 15, '0') || '.'
               || to_char(extract(epoch FROM clock_timestamp()), 'FM9999999999.000000000000000')
               || '-openerp-' || ch.partner_id || '-res.partner@' || %(host)s || '>',
           %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
      FROM changed ch
    RETURNING id, res_id
),
tracked AS (
    INSERT INTO mail_tracking_value (field_id, mail_message_id, old_value_integer,
                                     old_value_char, new_value_integer, new_value_char,
                                     create_uid, create_date, write_uid, write_date)
    SELECT %(field)s, m.id, COALESCE(ch.old_class_id, 0),
           COALESCE(oc.name ->> %(lang)s, oc.name ->> 'en_US', ''),
           COALESCE(ch.class_id, 0), COALESCE(nc.name ->> %(lang)s, nc.name ->> 'en_US', ''),
           %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
      FROM messages m
      JOIN changed ch ON ch.partner_id = m.res_id
      LEFT JOIN crm_partner_class oc ON oc.id = ch.old_class_id
      LEFT JOIN crm_partner_class nc ON nc.id = ch.class_id
    RETURNING id
)
SELECT partner_id, old_class_id, class_id FROM changed ORDER BY partner_id
        """,
        ranking=ranking,
        key=key,
        uid=env.uid,
        message_type=note["message_type"],
        subtype=note["subtype_id"],
        author=note["author_id"] or None,
        email_from=note["email_from"] or None,
        reply_to=note["reply_to"] or None,
        alias_domain=note["record_alias_domain_id"] or None,
        record_company=note["record_company_id"] or None,
        body=note["body"] or "",
        internal=note["is_internal"],
        signature=note["email_add_signature"],
        host=socket.gethostname(),
        field=field.id,
        lang=env.lang or "en_US",
    )
    # a customer changed by another transaction meanwhile makes PostgreSQL refuse this
    # ("could not serialize"): Odoo runs the transaction again - no bad query to log
    env.cr.execute(query, log_exceptions=False)
    changes = env.cr.fetchall()
    env["res.partner"].invalidate_model(
        ["crm_class_id", "crm_abc_revenue", "write_date", "write_uid", "message_ids"]
    )
    env["mail.message"].invalidate_model()
    env["mail.tracking.value"].invalidate_model()
    return changes
