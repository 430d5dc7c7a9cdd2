from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestReportsInstall(TransactionCase):
    def test_module_installed_with_its_dependency(self):
        """The reports module sits on top of the tracking module."""
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["hy_task_tracking", "hy_task_reports"])]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertIn(
            "hy_task_tracking",
            modules.filtered(lambda m: m.name == "hy_task_reports").dependencies_id.mapped("name"),
        )
