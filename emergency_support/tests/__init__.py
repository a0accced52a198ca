from . import test_lifecycle
from . import test_security
from . import test_plan_agreement
from . import test_views
from . import test_hardening
from . import test_mail_numbers
from . import test_jobs
from . import test_followers
