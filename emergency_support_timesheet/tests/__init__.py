from . import test_timesheet_line
from . import test_timesheet_cutoff
from . import test_timesheet_edges
