from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        # The portal chatter of a task is mail's code (Thread, Composer, dates, "The
        # conversation is empty."), but the portal only loads the JS translations of web and
        # portal: mail's come with website_mail, which we do not install. Do what it does.
        return super()._get_translation_frontend_modules_name() + ["mail"]
