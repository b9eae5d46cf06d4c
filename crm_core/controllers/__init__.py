from . import dav
