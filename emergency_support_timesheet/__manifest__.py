# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
{
    "name": "Emergency Support - Timesheets",
    "summary": "Time of emergencies per phase, daily cut-offs approved by "
               "both sides",
    "version": "11.0.1.2.0",
    "category": "After-Sales",
    "website": "https://example.com/emergency_support",
    "author": "emergency_support contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "emergency_support",
        "hr_timesheet",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/emergency_support_timesheet_security.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "views/account_analytic_line_views.xml",
        "views/emergency_timesheet_cutoff_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/res_config_settings_views.xml",
        "views/emergency_portal_templates.xml",
        "views/emergency_dashboard_views.xml",
        "report/emergency_time_report_views.xml",
    ],
    "demo": [
        "demo/account_analytic_line_demo.xml",
    ],
}
