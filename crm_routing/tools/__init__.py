from . import geo, gpx, mapdata, optimise
