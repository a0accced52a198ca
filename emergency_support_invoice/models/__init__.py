from . import account_analytic_line
from . import account_invoice
from . import account_invoice_line
from . import emergency_timesheet_cutoff
from . import helpdesk_ticket
from . import helpdesk_ticket_invoice
from . import res_company
from . import res_config_settings
