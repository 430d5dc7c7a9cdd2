"""18.0.1.2.0: the reports menu is named as its screen, "Task Reports".

Upgrading writes the new English name, but Odoo keeps the translations already in the
database ("Báo cáo định kỳ") unless told to overwrite them: reload that one menu's
translations from the module's .po files.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools.translate import TranslationImporter, get_po_paths


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    importer = TranslationImporter(cr, verbose=False)
    for lang, _name in env["res.lang"].get_installed():
        if lang == "en_US":
            continue
        for po_path in get_po_paths("hy_task_reports", lang):
            importer.load_file(po_path, lang, xmlids=["hy_task_reports.hy_report_period_menu"])
    importer.save(overwrite=True)
