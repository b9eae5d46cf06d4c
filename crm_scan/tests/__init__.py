from . import test_tools, test_document, test_intake, test_security, test_ui
