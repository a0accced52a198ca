from . import res_company
from . import res_config_settings
from . import project_project
from . import emergency_timesheet_cutoff
from . import account_analytic_line
from . import helpdesk_ticket
from . import emergency_dashboard
from . import helpdesk_ticket_next_step
