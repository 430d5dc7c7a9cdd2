from odoo import models


class MailNotification(models.Model):
    _inherit = "mail.notification"

    def _filtered_for_web_client(self):
        # Messages are read as superuser (mail.message.fetch), so a message's notification_ids
        # may hold notifications its reader may not read (security/mail_notification_security.xml:
        # a unit user reads those addressed to them and those of their own messages). The
        # delivery statuses shown are the readable ones; the rest would be an access error.
        readable = self._filtered_access("read")
        return super(MailNotification, readable)._filtered_for_web_client()
