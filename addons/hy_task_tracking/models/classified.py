"""Which records hold classified metadata, for the guards on mail, attachments and activities.

The regulation (Art. 7.2) and the law on state secrets allow only metadata of classified
directives on a networked system: the guards below refuse content whoever writes it,
superuser included, so they read the classification as superuser.
"""

from lxml import etree, html

from odoo import _
from odoo.exceptions import ValidationError

CLASSIFIED_MODELS = (
    "hy.directive",
    "hy.task",
    "hy.task.extension",
    "hy.task.transfer",
    "hy.task.update",
    "hy.task.info.request",
)
# The only markup an empty message may hold (what editors leave behind): no attribute at all.
EMPTY_TAGS = {"p", "br", "div", "span"}
LEVEL_GROUPS = {
    "confidential": "hy_task_tracking.group_clearance_confidential",
    "secret": "hy_task_tracking.group_clearance_secret",
    "top_secret": "hy_task_tracking.group_clearance_top_secret",
}


def classified_records(env, model, res_ids):
    """Return the records of ``model`` among ``res_ids`` that belong to a classified directive."""
    if model not in CLASSIFIED_MODELS or not res_ids:
        return env[model].browse() if model in env else None
    # sudo: the guards must see the classification whoever writes, superuser included.
    records = env[model].sudo().with_context(active_test=False).browse(set(res_ids)).exists()
    if model == "hy.directive":
        return records.filtered("is_classified")
    if model == "hy.task":
        return records.filtered("is_classified")
    return records.filtered("task_id.is_classified")


def security_level_of(record):
    """The security level that governs ``record`` (a directive, task or task sub-record)."""
    # sudo: the level is metadata every guard needs, whatever the user may read.
    record = record.sudo()
    if record._name == "hy.directive":
        return record.security_level
    if record._name == "hy.task":
        return record.security_level
    return record.task_id.security_level


def user_cleared_for(user, level):
    """True when ``user`` may see documents of ``level``."""
    return level == "normal" or user.has_group(LEVEL_GROUPS[level])


def unit_membership_opens(user):
    """True when ``user``'s units open their classified records to them beyond clearance:
    unit users and portal members, who work those tasks. For the Office (managers
    included), leadership and anyone else, clearance is the only key."""
    return (
        user.has_group("hy_task_tracking.group_unit_user") or user.has_group("base.group_portal")
    ) and not user.has_group("hy_task_tracking.group_office_officer")


def html_has_text(value):
    """True when ``value`` holds anything a reader could read: text, a comment, an attribute
    (``<p title="...">``), any tag but the empty formatting an editor leaves behind.
    Stricter than ``is_html_empty``, which lets attributes through."""
    if not value:
        return False
    try:
        root = html.fragment_fromstring(str(value), create_parent="div")
    except (etree.ParserError, ValueError):
        return bool(str(value).strip())
    if (root.text or "").strip() or (root.tail or "").strip():
        return True
    for element in root.iterdescendants():
        if (
            not isinstance(element.tag, str)
            or element.tag.lower() not in EMPTY_TAGS
            or element.attrib
            or (element.text or "").strip()
            or (element.tail or "").strip()
        ):
            return True
    return False


def record_id(value):
    """The record id a client gave as ``res_id`` (25, "25", " 25", "+25", "25.0"), as the
    integer the ORM stores, so that the classified guards check the record it will point to.
    False for no record; a ValidationError for anything that is not a whole number."""
    if value is None or value is False:
        return False
    if isinstance(value, bool):
        raise ValidationError(_("The record id must be a whole number."))
    try:
        number = float(value.strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(_("The record id must be a whole number.")) from None
    if not number.is_integer() or not -(2**31) <= number < 2**31:
        raise ValidationError(_("The record id must be a whole number."))
    return int(number)
