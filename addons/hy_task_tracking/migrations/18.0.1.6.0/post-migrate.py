"""18.0.1.6.0: what the nightly jobs already sent is kept in hy.sent.mark.

Before, lists of ids in system parameters: the digests sent to users
(``hy_task_tracking.digest_sent.<period>.<date>``, ``...digest_sent.unit_heads.<date>``) and
the report deadline reminders sent to units (``hy_task_tracking.report_reminder_sent.<date>``,
whose value, in the first version, was not a list: every unit had been reminded). Each
becomes a mark per recipient, so that a job rerun after the upgrade sends nothing twice; the
parameters go.
"""

DIGEST = "hy_task_tracking.digest_sent."
REPORT = "hy_task_tracking.report_reminder_sent."


def migrate(cr, version):
    cr.execute(
        "SELECT key, value FROM ir_config_parameter WHERE key LIKE %s OR key LIKE %s",
        (DIGEST + "%", REPORT + "%"),
    )
    rows = []
    for key, value in cr.fetchall():
        ids = [int(i) for i in (value or "").split(",") if i.strip().isdigit()]
        if key.startswith(DIGEST):
            rows += [("digest." + key[len(DIGEST) :], "res.users", i) for i in ids]
            continue
        new_key = "report_reminder." + key[len(REPORT) :]
        if not ids:  # every unit was reminded
            cr.execute("SELECT id FROM hy_unit WHERE unit_type IN ('department', 'district')")
            ids = [row[0] for row in cr.fetchall()]
        rows += [(new_key, "hy.unit", i) for i in ids]
    for key, model, res_id in rows:
        cr.execute(
            "INSERT INTO hy_sent_mark (key, res_model, res_id, date)"
            " VALUES (%s, %s, %s, now() AT TIME ZONE 'UTC') ON CONFLICT DO NOTHING",
            (key, model, res_id),
        )
    cr.execute(
        "DELETE FROM ir_config_parameter WHERE key LIKE %s OR key LIKE %s",
        (DIGEST + "%", REPORT + "%"),
    )
