from . import (
    test_tools,
    test_document,
    test_intake,
    test_security,
    test_ui,
    test_originals,
    test_hostile,
    test_state,
    test_database,
    test_recognition,
    test_einvoice_intake,
)
from . import test_ui_sizes
from . import test_correspondence
from . import test_personal_data
