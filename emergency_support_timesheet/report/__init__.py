from . import emergency_time_report
