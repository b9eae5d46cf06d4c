from . import callmonitor
from . import phone
