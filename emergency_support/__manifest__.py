# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
{
    "name": "Emergency Support",
    "summary": "Express / Emergency support plan on helpdesk tickets: "
               "evaluation within 60 minutes, guarantee, phases, report",
    "version": "11.0.1.0.0",
    "category": "After-Sales",
    "website": "https://example.com/emergency_support",
    "author": "emergency_support contributors",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "helpdesk_mgmt",
        "mail",
        "portal",
        "product",
    ],
    "data": [
        "security/emergency_support_security.xml",
        "security/ir.model.access.csv",
        "data/emergency_nda_data.xml",
        "data/product_product_data.xml",
        "data/mail_template_data.xml",
        "data/mail_alias_data.xml",
        "data/ir_cron_data.xml",
        "report/emergency_technical_report.xml",
        "views/emergency_service_area_views.xml",
        "views/emergency_supported_product_views.xml",
        "views/emergency_plan_agreement_views.xml",
        "views/emergency_nda_views.xml",
        "views/emergency_evaluation_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/emergency_reporting_views.xml",
        "views/emergency_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/emergency_support_demo.xml",
    ],
}
