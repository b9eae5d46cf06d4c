from odoo import models


class CrmTurn(models.AbstractModel):
    """The turns of jobs that several workers or servers may start at once (a dunning run,
    the ABC analysis, a Fritz!Box synchronisation): one row per job and key in the table
    crm_turn, taken by crm_core/tools/concurrency.exclusive() in the job's transaction. No
    records, no access: the table belongs to PostgreSQL's row locking only."""

    _name = "crm.turn"
    _description = "Turns of concurrent jobs"

    def init(self):
        self.env.cr.execute(
            """CREATE TABLE IF NOT EXISTS crm_turn (
                   name varchar NOT NULL,
                   key integer NOT NULL,
                   turns bigint NOT NULL DEFAULT 1,
                   PRIMARY KEY (name, key))"""
        )
