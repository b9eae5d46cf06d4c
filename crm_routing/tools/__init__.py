from . import geo, gpx, optimise, ratelimit
