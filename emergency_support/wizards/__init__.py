from . import emergency_guarantee_decision
