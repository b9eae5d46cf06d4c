"""From 19.0.1.0.1 a resubmission stores the subject and type of its entry (related fields
made stored, for the list "My resubmissions"). The columns are added and filled here with
one UPDATE, so the update does not compute them record by record in Python."""


def migrate(cr, version):
    cr.execute(
        """ALTER TABLE crm_chronicle_resubmission
               ADD COLUMN IF NOT EXISTS name varchar,
               ADD COLUMN IF NOT EXISTS type_id int4"""
    )
    cr.execute(
        """UPDATE crm_chronicle_resubmission r
              SET name = e.name, type_id = e.type_id
             FROM crm_chronicle_entry e
            WHERE e.id = r.entry_id"""
    )
