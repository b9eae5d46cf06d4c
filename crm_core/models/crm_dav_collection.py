import hashlib
import re

from odoo import models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError

from ..tools import dav as dav_tools

TOKEN = re.compile(r"^urn:crm-dav:(\d+):([0-9a-f]{12})$")


class CrmDavCollection(models.AbstractModel):
    """What every CardDAV/CalDAV collection of a user does (issue 21): list, read, write and
    archive its objects with the user's rights, and tell what changed since a sync token.

    A collection model (``_inherit = "crm.dav.collection"``) names itself in the user's
    principal (``_dav_collection``), says which records it shows (``_dav_kinds``: change-log
    kind -> (model, href prefix), ``_dav_domain``) and how one is written as a vCard or
    iCalendar object and read back (``_dav_render``, ``_dav_store``). Objects are read with
    the user's environment (record rules, the user's companies); what they show is logged in
    ``crm.dav.change`` by database triggers, so an unchanged sync costs a few queries."""

    _name = "crm.dav.collection"
    _description = "CardDAV/CalDAV Collection"

    _dav_collection = None
    _dav_tag = ""
    _dav_kinds = {}
    _dav_extension = ""
    _dav_precondition = ""
    # kind -> the component of its objects (VCARD, VEVENT, VTODO), and the properties of
    # that component the collection writes itself: a client's other lines are kept as sent
    _dav_components = {}
    _dav_known = frozenset()
    _dav_first_only = frozenset()
    # properties the collection writes that a device's own lines replace
    _dav_yielding = frozenset()

    # ------------------------------------------------------------------------------------------
    # What a collection defines
    # ------------------------------------------------------------------------------------------
    def _dav_meta(self):
        return {"tag": self._dav_tag}

    def _dav_domain(self, kind):
        raise NotImplementedError

    def _dav_render(self, kind, records, names):
        """{record id: (text, component name)} of these records; `names` holds the href
        and UID of each."""
        raise NotImplementedError

    def _dav_kind_of(self, component):
        """The kind of record a new object sent by a client becomes."""
        raise NotImplementedError

    def _dav_store(self, kind, record, component, uid):
        """Write the client's object (a vobject component) to `record` (empty: create one);
        return the record."""
        raise NotImplementedError

    def _dav_archive(self, kind, record):
        raise NotImplementedError

    # ------------------------------------------------------------------------------------------
    # Names: href and UID of an object
    # ------------------------------------------------------------------------------------------
    def _dav_default_href(self, kind, res_id):
        return f"{self._dav_kinds[kind][1]}-{res_id}{self._dav_extension}"

    def _dav_default_uid(self, kind, res_id, database=None):
        database = database or self._dav_database()
        return f"crm-{self._dav_kinds[kind][1]}-{res_id}@{database}"

    def _dav_database(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.uuid", "odoo")

    def _dav_resolve(self, href):
        """(kind, record id) that `href` names, or None."""
        return self._dav_resolve_many([href]).get(href)

    def _dav_resolve_many(self, hrefs):
        """{href: (kind, record id)} of the `hrefs` that name a record (two queries)."""
        kinds = list(self._dav_kinds)
        self.env.cr.execute(
            "SELECT href, kind, res_id FROM crm_dav_object WHERE kind IN %s AND href = ANY(%s)",
            (tuple(kinds), list(hrefs)),
        )
        result = {href: (kind, res_id) for href, kind, res_id in self.env.cr.fetchall()}
        by_pattern = {}
        for kind, (_model, prefix) in self._dav_kinds.items():
            pattern = re.compile(
                rf"{re.escape(prefix)}-(\d{{1,9}}){re.escape(self._dav_extension)}"
            )
            for href in hrefs:
                match = href not in result and pattern.fullmatch(href)
                if match:
                    by_pattern[kind, int(match.group(1))] = href
        for kind in self._dav_kinds:
            ids = [res_id for key_kind, res_id in by_pattern if key_kind == kind]
            # a record a client named is found by that name only
            named = self.env["crm.dav.object"]._names(kind, ids)
            for res_id in ids:
                if res_id not in named:
                    result[by_pattern[kind, res_id]] = (kind, res_id)
        return result

    def _dav_hrefs(self, kind, ids):
        """{record id: href} of these records."""
        names = self.env["crm.dav.object"]._names(kind, ids)
        return {
            res_id: names[res_id][0] if res_id in names else self._dav_default_href(kind, res_id)
            for res_id in ids
        }

    # ------------------------------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------------------------------
    def _dav_members(self, kind, ids=None):
        """The records of `kind` in this collection (among `ids` when given), read with the
        user's rights."""
        model = self.env[self._dav_kinds[kind][0]]
        domain = self._dav_domain(kind)
        if ids is not None:
            domain = [("id", "in", list(ids)), *domain]
        return model.search(domain, order="id")

    def _dav_objects(self, hrefs=None):
        """[(href, text, uid, component name, last modified)] of all objects, or of those
        named by `hrefs` that the user may see."""
        wanted = None
        if hrefs is not None:
            wanted = {kind: set() for kind in self._dav_kinds}
            for kind, res_id in self._dav_resolve_many(hrefs).values():
                wanted[kind].add(res_id)
        result = []
        for kind in self._dav_kinds:
            if wanted is not None and not wanted[kind]:
                continue
            records = self._dav_members(kind, None if wanted is None else wanted[kind])
            if not records:
                continue
            names = self.env["crm.dav.object"]._names(kind, records.ids)
            database = self._dav_database()
            for res_id in records.ids:
                if res_id not in names:
                    names[res_id] = (
                        self._dav_default_href(kind, res_id),
                        self._dav_default_uid(kind, res_id, database),
                        [],
                    )
            rendered = self._dav_render(kind, records, names)
            for record in records:
                text, component = rendered[record.id]
                href, uid, extra = names[record.id]
                text = dav_tools.with_extra(text, extra, self._dav_yielding)
                result.append((href, text, uid, component, record.write_date))
        return result

    def _dav_has_uid(self, uid):
        """Whether an object of this collection has the UID `uid`."""
        self.env.cr.execute(
            "SELECT kind, res_id FROM crm_dav_object WHERE kind IN %s AND uid = %s",
            (tuple(self._dav_kinds), uid),
        )
        named = self.env.cr.fetchall()
        database = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "odoo")
        for kind, (_model, prefix) in self._dav_kinds.items():
            match = re.fullmatch(rf"crm-{re.escape(prefix)}-(\d{{1,9}})@{re.escape(database)}", uid)
            if match:
                named.append((kind, int(match.group(1))))
        return any(self._dav_members(kind, [res_id]) for kind, res_id in named)

    # ------------------------------------------------------------------------------------------
    # Sync tokens
    # ------------------------------------------------------------------------------------------
    def _dav_fingerprint(self):
        """What decides which objects the user sees and how they read, apart from the
        records themselves: groups, companies, language, time zone. A token of another
        fingerprint is invalid (the client syncs in full)."""
        user = self.env.user
        key = (
            self._dav_collection,
            user.id,
            tuple(sorted(user.all_group_ids.ids)),
            tuple(sorted(self.env.companies.ids)),
            self.env.lang or "",
            user.tz or "",
        )
        return hashlib.sha256(repr(key).encode()).hexdigest()[:12]

    def _dav_token(self):
        seq = self.env["crm.dav.change"]._last_seq(list(self._dav_kinds))
        return f"urn:crm-dav:{seq}:{self._dav_fingerprint()}"

    def _dav_sync(self, old_token):
        """(new token, hrefs changed since `old_token`: all when empty). Raises ValueError
        for a token of another user, language, rights, or one too old."""
        Change = self.env["crm.dav.change"]
        token = self._dav_token()
        if not old_token:
            hrefs = []
            for kind in self._dav_kinds:
                hrefs += self._dav_hrefs(kind, self._dav_members(kind).ids).values()
            return token, hrefs
        match = TOKEN.match(old_token)
        if not match or match.group(2) != self._dav_fingerprint():
            raise ValueError("sync token of another user, language or rights")
        old_seq = int(match.group(1))
        if old_seq < Change._oldest_valid_seq():
            raise ValueError("sync token too old")
        hrefs = []
        for kind, ids in Change._changed_since(list(self._dav_kinds), old_seq).items():
            hrefs += self._dav_hrefs(kind, sorted(ids)).values()
        return token, hrefs

    # ------------------------------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------------------------------
    def _dav_refused(self, message):
        return dav_tools.Refused(message, self._dav_precondition)

    def _dav_component_uid(self, component):
        raise NotImplementedError

    def _dav_put(self, href, component, text):
        """Store the object a client PUT at `href`; return it as _dav_objects() does."""
        found = self._dav_resolve(href)
        record = None
        if found:
            kind, res_id = found
            record = self._dav_members(kind, [res_id])
            if not record:
                raise dav_tools.Refused(
                    self.env._("%(href)s is not an object of this collection.", href=href)
                )
        else:
            kind = self._dav_kind_of(component)
        uid = self._dav_component_uid(component)
        try:
            with self.env.cr.savepoint():
                record = self._dav_store(kind, record, component, uid)
                self.env.flush_all()
        except (ValidationError, UserError, AccessError, MissingError) as error:
            raise self._dav_refused(error.args[0] if error.args else str(error)) from error
        rendered_text, component_name = self._dav_render(kind, record, {record.id: (href, uid)})[
            record.id
        ]
        extra = dav_tools.extra_lines(
            text,
            self._dav_components[kind],
            self._dav_known,
            self._dav_first_only,
            rendered_text,
        )
        default = (self._dav_default_href(kind, record.id), self._dav_default_uid(kind, record.id))
        if extra or (href, uid) != default or self.env["crm.dav.object"]._names(kind, record.ids):
            self.env["crm.dav.object"]._remember(kind, record.id, href, uid, extra)
        text = dav_tools.with_extra(rendered_text, extra, self._dav_yielding)
        return href, text, uid, component_name, record.write_date

    def _dav_delete(self, href):
        found = self._dav_resolve(href)
        record = found and self._dav_members(found[0], [found[1]])
        if not record:
            raise dav_tools.Refused(
                self.env._("%(href)s is not an object of this collection.", href=href),
                status=404,
            )
        try:
            with self.env.cr.savepoint():
                self._dav_archive(found[0], record)
                self.env.flush_all()
            # the client may create an object of the same name and UID again
            self.env["crm.dav.object"]._forget(found[0], record.id)
        except (ValidationError, UserError, AccessError) as error:
            raise self._dav_refused(error.args[0] if error.args else str(error)) from error
