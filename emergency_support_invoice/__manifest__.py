# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
{
    "name": "Emergency Support - Invoicing",
    "summary": "The three invoices of an emergency: guarantee, "
               "normalization, mitigation",
    "version": "11.0.1.2.0",
    "category": "After-Sales",
    "website": "https://example.com/emergency_support",
    "author": "emergency_support contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "emergency_support_timesheet",
        "account_invoicing",
        "account_payment",
        "payment_transfer",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/decimal_precision_data.xml",
        "views/account_invoice_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/res_config_settings_views.xml",
        "views/emergency_portal_templates.xml",
        "views/payment_acquirer_views.xml",
        "views/emergency_accounting_views.xml",
        "views/emergency_dashboard_views.xml",
        "report/emergency_technical_report.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/account_tax_demo.xml",
        "demo/account_invoice_demo.xml",
        "demo/payment_acquirer_demo.xml",
    ],
}
