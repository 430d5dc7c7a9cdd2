{
    "name": "Task Tracking (Hưng Yên)",
    "version": "18.0.1.0.0",
    "summary": "Assign, follow up, urge and evaluate the tasks of directive documents",
    "category": "Productivity",
    "author": "Hưng Yên Task Tracking team",
    "license": "LGPL-3",
    "depends": ["mail", "portal"],
    "data": [],
    "installable": True,
    "application": True,
}
