{
    "name": "Task Tracking Reports (Hưng Yên)",
    "version": "18.0.1.3.0",
    "summary": "Periodic 6-month, annual and ad-hoc reports on assigned tasks",
    "category": "Productivity",
    "author": "Hưng Yên Task Tracking team",
    "license": "LGPL-3",
    "depends": ["hy_task_tracking"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
        "security/hy_report_period_security.xml",
        "security/hy_report_line_security.xml",
        "security/hy_report_entry_security.xml",
        "security/hy_report_unit_submission_security.xml",
        "data/hy_report_authority_data.xml",
        "report/hy_report_period_reports.xml",
        "report/hy_report_period_templates.xml",
        "views/hy_report_period_views.xml",
        "views/hy_report_line_views.xml",
        "views/hy_report_unit_submission_views.xml",
        "views/hy_task_reports_menus.xml",
        "views/hy_report_portal_templates.xml",
        "views/hy_report_public_templates.xml",
    ],
    "demo": [
        "demo/hy_report_period_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "hy_task_reports/static/src/js/report_figure_field.js",
            "hy_task_reports/static/src/xml/report_figure_field.xml",
            "hy_task_reports/static/src/scss/figures_list.scss",
        ],
        "web.assets_tests": [
            "hy_task_reports/static/src/js/tours/*.js",
        ],
        "web.report_assets_common": [
            "hy_task_reports/static/src/scss/report_period.scss",
        ],
    },
    "installable": True,
    "application": False,
}
