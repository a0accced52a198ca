from . import test_invoice_amounts
from . import test_invoice_flow
from . import test_billing_invariants
