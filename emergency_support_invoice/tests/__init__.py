from . import test_invoice_amounts
from . import test_invoice_edges
from . import test_invoice_flow
from . import test_fk_indexes
from . import test_dashboard
from . import test_billing_invariants
