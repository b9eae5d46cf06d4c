from . import models
from .hooks import post_init_hook
from . import report
from . import wizards
