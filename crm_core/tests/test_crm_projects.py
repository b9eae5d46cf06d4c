from odoo.fields import Command
from odoo.tests import Form, TransactionCase, tagged

from odoo.addons.base.tests.common import new_test_user


@tagged("post_install", "-at_install")
class TestCustomerProjects(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="crm_project_user",
            groups="crm_core.group_user,project.group_project_manager",
        )
        Partner = cls.env["res.partner"]
        cls.builder = Partner.create({"name": "Stavby Dvořák a.s.", "is_company": True})
        cls.architect = Partner.create({"name": "Ingenieurbüro Wagner", "is_company": True})
        cls.supplier = Partner.create({"name": "Holzbau Richter GmbH", "is_company": True})
        cls.client = cls.env.ref("crm_core.crm_project_role_client")
        cls.partner_role = cls.env.ref("crm_core.crm_project_role_partner")
        cls.supplier_role = cls.env.ref("crm_core.crm_project_role_supplier")

    def test_project_with_several_customers(self):
        Project = self.env["project.project"].with_user(self.user)
        with Form(Project) as form:
            form.name = "Neubau Logistikzentrum Brno"
            form.partner_id = self.builder
            with form.crm_partner_link_ids.new() as line:
                line.partner_id = self.architect
                line.role_id = self.partner_role
            with form.crm_partner_link_ids.new() as line:
                line.partner_id = self.supplier
                line.role_id = self.supplier_role
        project = form.record
        # the main partner remains and takes part as client
        self.assertEqual(project.partner_id, self.builder)
        self.assertEqual(
            {(link.partner_id, link.role_id) for link in project.crm_partner_link_ids},
            {
                (self.builder, self.client),
                (self.architect, self.partner_role),
                (self.supplier, self.supplier_role),
            },
        )
        self.assertEqual(project.crm_partner_ids, self.builder | self.architect | self.supplier)
        # a customer takes part in many projects; its form shows them
        second = Project.create({"name": "Sanierung Brücke", "partner_id": self.architect.id})
        self.assertEqual(self.architect.crm_project_link_ids.project_id, project | second)
        self.assertEqual(self.architect.crm_project_count, 2)
        self.assertEqual(self.supplier.crm_project_count, 1)
        found = self.env["project.project"].search([("crm_partner_ids", "in", self.supplier.ids)])
        self.assertEqual(found, project)
        action = self.architect.action_crm_open_projects()
        self.assertEqual(self.env["project.project"].search(action["domain"]), project | second)

    def test_tasks_filtered_by_project_customers(self):
        project = self.env["project.project"].create(
            {
                "name": "Wartungsvertrag",
                "partner_id": self.builder.id,
                "crm_partner_link_ids": [
                    Command.create(
                        {"partner_id": self.architect.id, "role_id": self.partner_role.id}
                    )
                ],
            }
        )
        other = self.env["project.project"].create({"name": "Intern"})
        task = self.env["project.task"].create({"name": "Prüfung", "project_id": project.id})
        self.env["project.task"].create({"name": "Urlaub", "project_id": other.id})
        found = self.env["project.task"].search(
            [("crm_project_partner_ids", "child_of", self.architect.id)]
        )
        self.assertEqual(found, task)
        # a contact person of the architect leads to the same tasks
        person = self.env["res.partner"].create(
            {"name": "Dr. Claudia Wagner", "parent_id": self.architect.id}
        )
        self.env["crm.project.partner"].create(
            {"project_id": other.id, "partner_id": person.id, "role_id": self.partner_role.id}
        )
        self.assertEqual(self.architect.crm_project_count, 2)
