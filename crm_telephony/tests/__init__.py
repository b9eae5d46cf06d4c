from . import test_box
from . import test_call_list_phonebook
from . import test_callmonitor
from . import test_formats
from . import test_identifier
from . import test_outside_services
from . import test_tools
from . import test_ui
