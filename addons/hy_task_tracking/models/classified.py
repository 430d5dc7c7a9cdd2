"""Which records hold classified metadata, for the guards on mail, attachments and activities.

The regulation (Art. 7.2) and the law on state secrets allow only metadata of classified
directives on a networked system: the guards below refuse content whoever writes it,
superuser included, so they read the classification as superuser.
"""

CLASSIFIED_MODELS = (
    "hy.directive",
    "hy.task",
    "hy.task.extension",
    "hy.task.transfer",
    "hy.task.update",
)
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
