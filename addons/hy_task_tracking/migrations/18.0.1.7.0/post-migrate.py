"""18.0.1.7.0: whose turn it is, and reported is not done; labels retranslated.

The new stored fields (with_office, office_wait, office_since, office_due, progress_status)
were computed by the upgrade; office_since is the upgrade's day (the day each task came to
the Office was not recorded before). Here: the status category of the tasks now with the
Office, which are no longer overdue against their units, and one ledger entry per task
with the Office (marked as opening entries: rebuilt by the upgrade, not recorded when it
happened), so that the reports of periods after the upgrade know it.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools.translate import TranslationImporter, get_po_paths

# Labels whose Vietnamese changed: the document types "Decision" and "Directive" had shared
# the words of other labels; the task's name reads "Nhiệm vụ" in "Nhiệm vụ được tạo".
RETRANSLATED = [
    "hy_task_tracking.selection__hy_directive__document_type__decision",
    "hy_task_tracking.selection__hy_directive__document_type__directive",
    "hy_task_tracking.model_hy_task",
    "hy_task_tracking.hy_task_action",
]


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    # Odoo keeps the translations already in the database unless told to overwrite them.
    importer = TranslationImporter(cr, verbose=False)
    for lang, _name in env["res.lang"].get_installed():
        if lang == "en_US":
            continue
        for po_path in get_po_paths("hy_task_tracking", lang):
            importer.load_file(po_path, lang, xmlids=RETRANSLATED)
    importer.save(overwrite=True)
    Task = env["hy.task"].with_context(active_test=False)
    tasks = Task.search([("with_office", "=", True)])
    if not tasks:
        return
    Ledger = env["hy.task.ledger"]
    before = Ledger._snapshot(tasks)
    for values in before.values():
        values["with_office"] = "0"  # not recorded before this version
    env.add_to_compute(Task._fields["status_category"], tasks)
    env.add_to_compute(Task._fields["timeliness"], tasks)
    tasks.flush_recordset()
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM hy_task_ledger")
    last_id = cr.fetchone()[0]
    Ledger._record_changes(tasks, before)
    # Rebuilt by the upgrade, not recorded when it happened.
    cr.execute("UPDATE hy_task_ledger SET origin = 'opening' WHERE id > %s", (last_id,))
