from . import iban
