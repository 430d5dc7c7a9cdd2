import logging
import threading
from contextlib import contextmanager

from markupsafe import Markup, escape

from odoo import _, api, fields, models

_logger = logging.getLogger(__name__)

JOBS = [
    ("overdue", "Overdue tasks"),
    ("due_soon", "Deadline reminders"),
    ("stale", "Tasks without update"),
    ("urge_monthly", "Monthly urging dispatches"),
    ("weekly_digest", "Weekly digests"),
    ("monthly_digest", "Monthly digests"),
]
# Failures listed in one notice to the managers; the others are counted.
NOTICE_LIMIT = 20


class HyJobStatus(models.Model):
    """What each nightly job of the task tracker did last, for the Office managers.

    One record per job. A run records its start, then its end: the records it handled and
    the failures it met (each with the record it concerns). A run with failures notifies the
    Office managers once, with a message on this record.
    """

    _name = "hy.job.status"
    _description = "Scheduled Job Status"
    # hy.write.guard with nothing declared: only the jobs record their own runs.
    _inherit = ["hy.write.guard", "mail.thread"]
    _order = "sequence, id"
    _rec_name = "job"

    job = fields.Selection(JOBS, required=True, readonly=True)
    sequence = fields.Integer(default=10, readonly=True)
    cron_id = fields.Many2one("ir.cron", string="Scheduled Action", readonly=True)
    last_start = fields.Datetime(string="Last Started", readonly=True)
    last_success = fields.Datetime(string="Last Successful Run", readonly=True)
    last_failure = fields.Datetime(readonly=True)
    last_failure_message = fields.Text(string="What Failed", readonly=True)
    last_state = fields.Selection(
        [
            ("running", "Running"),
            ("done", "Done"),
            ("partial", "Done, with failures"),
            ("failed", "Failed"),
        ],
        string="Last Run",
        readonly=True,
    )
    last_handled = fields.Integer(string="Records Handled", readonly=True)
    last_failed = fields.Integer(string="Records Failed", readonly=True)

    _sql_constraints = [("job_unique", "unique(job)", "One status per job.")]

    @api.model
    def _run(self, job, body):
        """Run ``body(run)`` as a run of ``job`` and record it, whatever happens in it."""
        run = self._start(job)
        try:
            body(run)
        except Exception as error:  # recorded on the status and notified, not lost
            _logger.exception("Task tracking job %s stopped", job)
            run.rollback()  # back to the last step committed
            run.failures.append((_("the job stopped"), error))
            run.status._finish(run.handled, run.failures, crashed=True)
            run.commit()
            return run
        return run.finish()

    @api.model
    def _start(self, job):
        """Begin a run of ``job``: a JobRun that the job's steps report to."""
        # sudo: the status is written by the scheduled jobs, read by the Office managers.
        status = self.sudo().search([("job", "=", job)], limit=1) or self.sudo().create(
            {"job": job}
        )
        status.write({"last_start": fields.Datetime.now(), "last_state": "running"})
        run = JobRun(status)
        run.commit()
        return run

    def _finish(self, handled, failures, crashed=False):
        self.ensure_one()
        now = fields.Datetime.now()
        vals = {"last_handled": handled, "last_failed": len(failures)}
        if not failures:
            vals.update(last_state="done", last_success=now)
        else:
            lines = [f"{label}: {error}" for label, error in failures[:NOTICE_LIMIT]]
            if len(failures) > NOTICE_LIMIT:
                lines.append(_("… and %s more", len(failures) - NOTICE_LIMIT))
            vals.update(
                last_state="failed" if crashed else "partial",
                last_failure=now,
                last_failure_message="\n".join(lines),
            )
        self.write(vals)
        if failures:
            self._notify_managers(vals["last_failure_message"], len(failures))

    def _notify_managers(self, message, count):
        """One message to the Office managers per failed run, whatever the number of failures."""
        managers = self.env.ref("hy_task_tracking.group_office_manager").users.filtered(
            lambda user: user.active and not user.share
        )
        # In the managers' language (the job runs without one).
        env = self.with_context(lang=self.env["hy.digest"]._mail_lang(managers[:1].lang)).env
        job = dict(self._fields["job"]._description_selection(env))[self.job]
        body = Markup("<p>%s</p><pre>%s</pre>") % (
            env._("The scheduled job “%(job)s” met %(count)s failure(s):", job=job, count=count),
            escape(message),
        )
        self.message_post(
            body=body,
            partner_ids=managers.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )


class JobRun:
    """One run of a nightly job, made of steps that stand on their own.

    Each step is committed when it ends (in tests, where nothing may commit, it is a
    savepoint), so that a failure or a kill in a later step never undoes an earlier one.
    Within a step, ``each()`` handles a batch in one savepoint and, if that fails, each
    record in its own, so that one bad record stops nothing but itself; every failure is
    logged with the record it concerns.
    """

    def __init__(self, status):
        self.status = status
        self.env = status.env
        self.handled = 0
        self.failures = []
        self.result = None  # what the job returns to its caller (tests, other jobs)
        self.auto_commit = not getattr(threading.current_thread(), "testing", False)
        # Tests may not commit: a savepoint, renewed at each commit, stands for the last one.
        self._checkpoint = None if self.auto_commit else self.env.cr.savepoint()

    def commit(self):
        # A nightly job commits each step, as Odoo's own batch jobs do (mail queue,
        # _notify_progress): what is done stays done if a later step fails or is killed.
        if self.auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        else:
            self._checkpoint.close(rollback=False)
            self._checkpoint = self.env.cr.savepoint()

    def rollback(self):
        """Undo what was done since the last commit."""
        if self.auto_commit:
            self.env.cr.rollback()
        else:
            self._checkpoint.close(rollback=True)
            self._checkpoint = self.env.cr.savepoint()
        self.env.invalidate_all()

    def fail(self, label, error):
        _logger.error("Task tracking job %s failed on %s: %s", self.status.job, label, error)
        self.failures.append((label, error))

    @contextmanager
    def step(self, label):
        """A part of the job committed on its own; an error in it is a failure of the job."""
        try:
            with self.env.cr.savepoint():
                yield
        except Exception as error:
            _logger.exception("Task tracking job %s: step %s failed", self.status.job, label)
            self.failures.append((label, error))
        else:
            self.commit()

    def each(self, records, handle, describe):
        """``handle(records)`` in one savepoint; if it fails, record by record.

        ``describe(record)`` names a record in the failures. Returns the records handled.
        """
        if not records:
            return records
        try:
            with self.env.cr.savepoint():
                handle(records)
            done = records
        except Exception:  # noqa: BLE001 (find the record that fails, below)
            done = records.browse()
            for record in records:
                try:
                    with self.env.cr.savepoint():
                        handle(record)
                    done |= record
                except Exception as error:  # noqa: BLE001
                    self.fail(describe(record), error)
        self.handled += len(done)
        self.commit()
        return done

    def each_group(self, groups, handle, describe):
        """``handle(key, records)`` for each group of ``groups`` ({key: records}), each in
        its own savepoint. Returns the keys handled."""
        done = []
        for key, records in groups.items():
            try:
                with self.env.cr.savepoint():
                    handle(key, records)
                done.append(key)
                self.handled += len(records) or 1
            except Exception as error:  # noqa: BLE001
                self.fail(describe(key), error)
        self.commit()
        return done

    def finish(self):
        """Record the run on the job's status, tell the managers of failures, report progress."""
        self.status._finish(self.handled, self.failures)
        self.env["ir.cron"]._notify_progress(done=self.handled, remaining=0)
        self.commit()
        return self
