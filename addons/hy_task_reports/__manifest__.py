{
    "name": "Task Tracking Reports (Hưng Yên)",
    "version": "18.0.1.0.0",
    "summary": "Periodic 6-month, annual and ad-hoc reports on assigned tasks",
    "category": "Productivity",
    "author": "Hưng Yên Task Tracking team",
    "license": "LGPL-3",
    "depends": ["hy_task_tracking"],
    "data": [],
    "installable": True,
    "application": False,
}
