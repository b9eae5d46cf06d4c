from . import controllers, models, tools, wizards
from .hooks import post_init_hook
