"""18.0.1.1.0: the task ledger. Tasks recorded before it get their opening entries."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)
BATCH = 1000


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Task = env["hy.task"].with_context(active_test=False)
    Ledger = env["hy.task.ledger"]
    task_ids = Task.search([], order="id").ids
    written = 0
    for start in range(0, len(task_ids), BATCH):
        batch = Task.browse(task_ids[start : start + BATCH])
        written += Ledger._open_from_history(batch)
        env.invalidate_all()
    _logger.info("Task ledger: %s opening entries for %s tasks", written, len(task_ids))
