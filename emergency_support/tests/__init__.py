from . import test_lifecycle
from . import test_security
from . import test_plan_agreement
from . import test_views
from . import test_hardening
from . import test_edges_roles
