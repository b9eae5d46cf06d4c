from . import dav
from . import personal_data
