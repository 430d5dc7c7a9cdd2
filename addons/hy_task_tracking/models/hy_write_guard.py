"""Who may write what: one declaration per model, enforced on every path.

JSON-RPC lets any logged-in user call ``create``, ``write`` and ``unlink`` with any values
and any context, so a rule that only a button or a dialog applies is no rule. Each model
that inherits this mixin declares, field by field, which roles may write it directly; every
other field (states, confirmation and evaluation, approval and publication, who submitted
what and when, memberships, history) is changed only by the model's own workflow methods,
after their own checks, as superuser. The same declaration makes the views read-only where
the server would refuse, and builds the table of the readme (tests check both).
"""

from odoo import _, api, models
from odoo.exceptions import AccessError

UNIT = frozenset({"unit"})
OFFICER = frozenset({"officer"})
MANAGER = frozenset({"manager"})
NOBODY = frozenset()
# A manager is an officer too (group_office_manager implies group_office_officer).
OFFICE = OFFICER
UNIT_OR_OFFICE = UNIT | OFFICE

# The roles of a user, from their groups. The leadership writes nothing: it has no role here.
ROLE_GROUPS = (
    ("manager", "hy_task_tracking.group_office_manager"),
    ("officer", "hy_task_tracking.group_office_officer"),
    ("unit", "hy_task_tracking.group_unit_user"),
    ("unit", "base.group_portal"),
)
ROLE_LABELS = {"unit": "Unit member", "officer": "Office officer", "manager": "Office manager"}


class HyWriteGuard(models.AbstractModel):
    _name = "hy.write.guard"
    _description = "Who May Write What"

    # {field name: roles that may give it a value}: at creation, and in a later write. A field
    # absent from both is the workflow's own (see the module docstring).
    _hy_create_fields = {}
    _hy_write_fields = {}
    # Who may delete records directly (the model's ondelete checks still apply).
    _hy_unlink_roles = NOBODY
    # Fields that the model's own create (write) adds to the caller's values once it has
    # checked them (with _hy_check_fields, first thing in its override of create (write)).
    _hy_server_create_fields = frozenset()
    _hy_server_write_fields = frozenset()

    @api.model
    def _hy_roles(self):
        user = self.env.user
        return frozenset(role for role, group in ROLE_GROUPS if user.has_group(group))

    @api.model
    def _hy_allowed_fields(self, operation, roles=None):
        """The fields ``roles`` (default: the current user's) may give in ``operation``."""
        roles = self._hy_roles() if roles is None else roles
        declared = self._hy_create_fields if operation == "create" else self._hy_write_fields
        return {name for name, allowed in declared.items() if allowed & roles}

    def _hy_check_fields(self, operation, field_names):
        """Refuse, as an access error, values the current user may not give directly."""
        if self.env.su:
            return
        refused = set(field_names) - self._hy_allowed_fields(operation)
        if refused:
            # In the user's language, also for a call that sends no context (as the message).
            env = self.env if self.env.lang else self.with_context(lang=self.env.user.lang).env
            labels = sorted(
                self._fields[name]._description_string(env) if name in self._fields else name
                for name in refused
            )
            raise AccessError(
                _(
                    "You are not allowed to set these fields directly: %(fields)s. Use the "
                    "actions of the record, which check the rules of the regulation.",
                    fields=", ".join(labels),
                )
            )

    def _hy_check_unlink(self):
        if not self.env.su and not (self._hy_unlink_roles & self._hy_roles()):
            raise AccessError(_("You are not allowed to delete these records."))

    @api.model
    def _hy_allowed_defaults(self):
        """The context without the ``default_*`` keys of fields the user may not set."""
        allowed = self._hy_allowed_fields("create")
        return {
            key: value
            for key, value in self.env.context.items()
            if not key.startswith("default_") or key[8:] not in self._fields or key[8:] in allowed
        }

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            return super().create(vals_list)
        given = {name for vals in vals_list for name in vals}
        self._hy_check_fields("create", given - self._hy_server_create_fields)
        # A default from the context is a value given by the caller too: drop what it may
        # not set, so that the field's own default applies.
        # The whole context is replaced on purpose: keys are removed, not set.
        guarded = self.with_context(self._hy_allowed_defaults())  # pylint: disable=context-overridden
        return super(HyWriteGuard, guarded).create(vals_list)

    def copy_data(self, default=None):
        # A duplicate holds what its maker may give: the workflow's fields start afresh
        # (a duplicated task is a draft, not confirmed); an explicit default is checked.
        vals_list = super().copy_data(default=default)
        if self.env.su:
            return vals_list
        kept = self._hy_allowed_fields("create") | set(default or ())
        return [{name: value for name, value in vals.items() if name in kept} for vals in vals_list]

    def write(self, vals):
        self._hy_check_fields("write", set(vals) - self._hy_server_write_fields)
        return super().write(vals)

    def unlink(self):
        self._hy_check_unlink()
        return super().unlink()

    # ------------------------------------------------------------------ views

    @api.model
    def _get_view_cache_key(self, view_id=None, view_type="form", **options):
        # The read-only fields below depend on the user's roles.
        return (*super()._get_view_cache_key(view_id, view_type, **options), self._hy_roles())

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """No screen offers an edit the server refuses: fields the user may not set are
        read-only (only at creation for fields set once, only later for fields set later)."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type not in ("form", "list"):
            return arch, view
        creatable = self._hy_allowed_fields("create")
        writable = self._hy_allowed_fields("write")
        for node in arch.xpath("//field[not(ancestor::field)]"):
            name = node.get("name")
            if name not in self._fields or self._fields[name].readonly:
                continue
            if name in creatable and name in writable:
                continue
            # "id" is False on a new record: read-only once saved, or until saved.
            refused = (
                "True"
                if name not in creatable | writable
                else ("id" if name in creatable else "not id")
            )
            current = node.get("readonly")
            if current and current not in ("0", "False", "false"):
                refused = f"({current}) or ({refused})"
            node.set("readonly", refused)
        return arch, view

    # ------------------------------------------------------------------ documentation

    @api.model
    def _hy_write_access_table(self, module):
        """The declarations of the models of ``module``, as the table of its readme/USAGE.md."""

        def who(roles):
            order = ("unit", "officer", "manager")
            return ", ".join(ROLE_LABELS[role] for role in order if role in roles) or "–"

        rows = ["| model | field | create | write |", "| --- | --- | --- | --- |"]
        for name in sorted(self.env.registry):
            model = self.env[name]
            if model._abstract or not hasattr(model, "_hy_allowed_fields"):
                continue
            if model._original_module != module:
                continue
            declared = sorted(set(model._hy_create_fields) | set(model._hy_write_fields))
            for fname in declared:
                rows.append(
                    f"| `{name}` | `{fname}` | {who(model._hy_create_fields.get(fname, NOBODY))} "
                    f"| {who(model._hy_write_fields.get(fname, NOBODY))} |"
                )
            rows.append(
                f"| `{name}` | *any other field* | – | – (workflow only) |"
                if declared
                else f"| `{name}` | *every field* | – | – (workflow only) |"
            )
            rows.append(f"| `{name}` | *delete* | | {who(model._hy_unlink_roles)} |")
        return "\n".join(rows)
