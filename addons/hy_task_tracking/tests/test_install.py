from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTrackingInstall(TransactionCase):
    def test_module_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "hy_task_tracking")])
        self.assertEqual(module.state, "installed")
