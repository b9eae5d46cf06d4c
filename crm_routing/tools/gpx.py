"""GPX 1.1 files and map links for a route (no ORM)."""

from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

GPX_NS = "http://www.topografix.com/GPX/1/1"


def build_gpx(name, points, creator="Odoo CRM Suite"):
    """A GPX 1.1 document with one waypoint per stop and a route through them.

    :param points: list of dicts with lat, lon, name and optional desc
    :return: bytes (UTF-8 XML)
    """
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gpx version="1.1" creator={quoteattr(creator)} xmlns="{GPX_NS}">',
        f"  <metadata><name>{escape(name)}</name></metadata>",
    ]
    for p in points:
        lines.append(
            f'  <wpt lat="{p["lat"]:.6f}" lon="{p["lon"]:.6f}">'
            f"<name>{escape(p['name'])}</name>"
            + (f"<desc>{escape(p['desc'])}</desc>" if p.get("desc") else "")
            + "</wpt>"
        )
    lines.append(f"  <rte><name>{escape(name)}</name>")
    for p in points:
        lines.append(
            f'    <rtept lat="{p["lat"]:.6f}" lon="{p["lon"]:.6f}">'
            f"<name>{escape(p['name'])}</name></rtept>"
        )
    lines.append("  </rte>")
    lines.append("</gpx>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def google_maps_url(points):
    """Google Maps directions link (origin, waypoints, destination) for (lat, lon)
    points. Google takes at most 9 waypoints in a link: longer routes are cut into
    several links by the caller with :func:`chunks`."""
    coords = [f"{lat:.6f},{lon:.6f}" for lat, lon in points]
    url = "https://www.google.com/maps/dir/?api=1&travelmode=driving"
    url += f"&origin={quote(coords[0])}&destination={quote(coords[-1])}"
    if len(coords) > 2:
        url += "&waypoints=" + quote("|".join(coords[1:-1]))
    return url


def osm_url(points):
    """Link to the OSRM demo map (OpenStreetMap data and tiles) through all points:
    openstreetmap.org's own directions page takes only a start and an end."""
    locs = "&".join(f"loc={lat:.6f}%2C{lon:.6f}" for lat, lon in points)
    return f"https://map.project-osrm.org/?srv=0&{locs}"


def chunks(points, size):
    """Overlapping pieces of at most ``size`` points, each starting where the
    previous one ended (for links that take a limited number of points)."""
    if len(points) <= size:
        return [points]
    pieces, i = [], 0
    while i < len(points) - 1:
        pieces.append(points[i : i + size])
        i += size - 1
    return pieces
