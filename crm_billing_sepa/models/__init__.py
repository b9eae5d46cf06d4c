# The addon's two parts, which share almost nothing: billing (services, invoicing, dunning)
# and SEPA (mandates, batches and their files, booking, returns). SEPA implements billing's
# hooks (an invoice in a direct debit is not dunned), so billing is loaded first.
from . import billing
from . import sepa
from . import exports
