"""What one cockpit button of the partner form counts and opens (no ORM).

A button is defined once, as a `CockpitButton`, and `res.partner` takes both the count on
the button (`_crm_cockpit_count`, `_crm_cockpit_fill`) and the list the button opens
(`_crm_cockpit_action`) from that one definition: the number a user sees and the records
the list then shows are the same by construction. See crm_core's readme, "Adding a cockpit
button".
"""

from dataclasses import dataclass

COMMERCIAL = "commercial_partner_id"


@dataclass(frozen=True)
class CockpitButton:
    """The records of `model` whose `partner_field` is the customer or one of its contact
    persons or addresses, and that match `domain` (a domain as a tuple of terms).

    `action` is the xml id of the window action that lists them (its views and help are
    kept; its domain is replaced); without one the list is a plain list and form view of
    the model."""

    model: str
    partner_field: str = "partner_id"
    domain: tuple = ()
    action: str = ""

    @property
    def partner_path(self):
        """The field path from the records to the customer (the commercial entity): the
        partner field itself when it is a commercial partner field already (stored and
        indexed on account.move, crm.phone.call...: no join with the partners), else its
        commercial partner."""
        if self.partner_field == COMMERCIAL or self.partner_field.endswith(f".{COMMERCIAL}"):
            return self.partner_field
        return f"{self.partner_field}.{COMMERCIAL}"


@dataclass(frozen=True)
class CockpitGroup:
    """One grouped count of the cockpit: the records of `button`, grouped by the customer
    (the commercial entity) and by the fields of `groupby`, with `aggregates` (read_group
    specifications such as "__count", "amount:sum", "route_id:count_distinct").

    All the groups of the partner form are read together in one SQL query (see
    `res.partner._crm_cockpit_read_groups`). `path` replaces the button's partner path
    when the records hold the customer in a field that is not a commercial partner field
    but always holds one."""

    button: CockpitButton
    groupby: tuple = ()
    aggregates: tuple = ("__count",)
    path: str = ""

    @property
    def partner_path(self):
        return self.path or self.button.partner_path
