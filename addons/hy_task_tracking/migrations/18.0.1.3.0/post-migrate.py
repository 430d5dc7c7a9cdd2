"""18.0.1.3.0: the type of each directive; no text left on classified records.

- Each directive gets its type from its name (Quyết định, Chỉ thị, ...; else "other").
- A classified directive is named by its type only: a longer name is reduced to its type.
- Transfer reasons of classified tasks are removed (they go through the classified channel).
Every removal is written to the classified access log, with what was removed (not its text).
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Directive = env["hy.directive"].with_context(active_test=False)
    Log = env["hy.classified.access.log"]
    cr.execute("SELECT id, name, security_level FROM hy_directive")
    for directive_id, name, level in cr.fetchall():
        document_type = Directive._type_from_name(name) or "other"
        new_name = Directive._type_name(document_type) if level != "normal" else name
        cr.execute(
            "UPDATE hy_directive SET document_type = %s, name = %s WHERE id = %s",
            (document_type, new_name, directive_id),
        )
        if new_name != name:
            directive = Directive.browse(directive_id)
            Log._log_security_change(
                "hy.directive",
                directive_id,
                directive.number,
                "upgrade: the name of a classified directive was reduced to its type",
            )
    cr.execute(
        """UPDATE hy_task_transfer tr SET reason = NULL
             FROM hy_task t
            WHERE t.id = tr.task_id AND t.is_classified AND tr.reason IS NOT NULL
        RETURNING tr.id, t.reference"""
    )
    purged = cr.fetchall()
    for transfer_id, reference in purged:
        Log._log_security_change(
            "hy.task.transfer",
            transfer_id,
            reference,
            "upgrade: the reason of a classified task's transfer was removed",
        )
    env.invalidate_all()
    _logger.info("Classified records: %s transfer reasons removed", len(purged))
