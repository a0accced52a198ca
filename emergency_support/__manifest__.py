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
    ],
    "demo": [
        "demo/res_users_demo.xml",
    ],
}
