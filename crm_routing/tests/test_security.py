from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RouteCommon


@tagged("post_install", "-at_install")
class TestSecurity(RouteCommon):
    def _route(self, user):
        return self.env["crm.route"].create(
            {
                "name": f"Route of {user.login}",
                "user_id": user.id,
                "stop_ids": [(0, 0, {"partner_id": self.customers[0].id})],
            }
        )

    def test_users_see_only_their_routes(self):
        mine, theirs = self._route(self.user), self._route(self.user2)
        Route = self.env["crm.route"].with_user(self.user)
        self.assertEqual(Route.search([("id", "in", (mine | theirs).ids)]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.user).read(["name"])
        with self.assertRaises(AccessError):
            theirs.stop_ids.with_user(self.user).write({"note": "x"})
        with self.assertRaises(AccessError):
            theirs.stop_ids.with_user(self.user).action_skip()
        self.assertEqual(theirs.stop_ids.state, "todo")
        with self.assertRaises(AccessError):
            Route.create({"name": "for someone else", "user_id": self.user2.id})
        manager_view = self.env["crm.route"].with_user(self.manager)
        self.assertEqual(manager_view.search([("id", "in", (mine | theirs).ids)]), mine | theirs)

    def test_mileage_log_is_append_only_for_users(self):
        log = (
            self.env["crm.mileage.log"]
            .with_user(self.user)
            .create({"distance": 12.0, "purpose": "Visit"})
        )
        with self.assertRaises(AccessError):
            log.write({"distance": 2.0})
        with self.assertRaises(AccessError):
            log.unlink()
        other = self.env["crm.mileage.log"].create(
            {"distance": 5.0, "purpose": "Other", "user_id": self.user2.id}
        )
        with self.assertRaises(AccessError):
            other.with_user(self.user).read(["distance"])
        log.with_user(self.manager).write({"distance": 2.0})

    def test_geocode_cache_for_managers_only(self):
        """Addresses of every company's customers: managers only (geocoding itself reads
        and fills the cache for everybody)."""
        Cache = self.env["crm.geocode.cache"]
        entry = Cache.create({"key": "x", "query": "X", "provider": "crm_nominatim"})
        entry.with_user(self.manager).read(["query"])
        with self.assertRaises(AccessError):
            entry.with_user(self.user).read(["query"])
        with self.assertRaises(AccessError):
            Cache.with_user(self.user).create(
                {"key": "y", "query": "Y", "provider": "crm_nominatim"}
            )
        with self.assertRaises(AccessError):
            entry.with_user(self.user).unlink()

    def test_other_company_routes_invisible(self):
        other_company = self.env["res.company"].create({"name": "Filiale Brno"})
        self.user2.write({"company_ids": [(4, other_company.id)]})
        route = self.env["crm.route"].create(
            {"name": "Brno", "user_id": self.user2.id, "company_id": other_company.id}
        )
        visible = (
            self.env["crm.route"]
            .with_user(self.user2)
            .with_context(allowed_company_ids=[self.env.company.id])
            .search([("id", "=", route.id)])
        )
        self.assertFalse(visible, "company not in the user's active companies")
        visible = (
            self.env["crm.route"]
            .with_user(self.user2)
            .with_context(allowed_company_ids=[other_company.id])
            .search([("id", "=", route.id)])
        )
        self.assertEqual(visible, route)
