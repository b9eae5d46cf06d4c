from odoo.modules.db import has_trigram


def pre_init_hook(env):
    """Enable pg_trgm as Odoo does when it creates a database (odoo.service.db), so that
    the trigram index on partner names exists and name matching can use similarity()."""
    env.cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    env.registry.has_trigram = has_trigram(env.cr)
    adopt_kept_types(env)


# the chronicle types of this addon: {xmlid name: code}
CHRONICLE_TYPES = {"crm_chronicle_type_scan": "scan"}


def adopt_kept_types(env):
    """Installed again after an uninstall: the chronicle type that the logged entries kept
    is this addon's again."""
    env["crm.chronicle.type"]._crm_adopt_kept_types("crm_scan", CHRONICLE_TYPES)


def uninstall_hook(env):
    """The chronicle entries of filed scans stay (history), and so does their type. The
    full-text column and its function (made in CrmScanDocument.init) go; the trigram
    index on partner names is a models.Index, which Odoo drops itself."""
    env["crm.chronicle.type"]._crm_release_used_types("crm_scan")
    # Odoo's mail deletes the attachments of a removed model and then the file of each
    # store_fname among them that no other attachment uses; an attachment without a file (an
    # empty upload, or one kept in the database) gives it NULL and its uninstall of the model
    # fails unless another attachment without a file exists (TypeError in _mark_for_gc).
    # Those rows (and the scans they are the original of) would be deleted with the model
    # anyway: delete them first.
    models = ("crm.scan.document", "crm.scan.upload", "crm.scan.suggestion")
    env.cr.execute(
        """
        DELETE FROM crm_scan_document WHERE attachment_id IN (
            SELECT id FROM ir_attachment WHERE res_model IN %s AND store_fname IS NULL)
        """,
        [models],
    )
    env.cr.execute(
        "DELETE FROM ir_attachment WHERE res_model IN %s AND store_fname IS NULL", [models]
    )
    env.cr.execute("ALTER TABLE IF EXISTS crm_scan_document DROP COLUMN IF EXISTS ocr_tsv")
    env.cr.execute("DROP FUNCTION IF EXISTS crm_scan_tsvector(text)")
