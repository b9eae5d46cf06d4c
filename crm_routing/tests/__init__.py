from . import test_formats
from . import test_geocoding
from . import test_outside_services
from . import test_route
from . import test_security
from . import test_tools
from . import test_ui
from . import test_demo_positions
