"""GPX 1.1 files and map links for a route (no ORM).

Names and descriptions pass crm_core's sanitize.text (no control characters, no invisible
formatting characters, one line): whatever a customer's name holds, the file is valid
GPX 1.1 (well-formed XML, built by ElementTree, and valid against the GPX 1.1 schema's
rules for the elements it writes). Points without a valid position are left out."""

import xml.etree.ElementTree as ET
from urllib.parse import quote

from odoo.addons.crm_core.tools import sanitize

from .geo import valid_position

GPX_NS = "http://www.topografix.com/GPX/1/1"


def _element(parent, tag, text=None, **attrib):
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def _point(parent, tag, point, desc=True):
    """A wpt or rtept: lat/lon (GPX: -90..90, -180 <= lon < 180), name, desc."""
    lon = f"{point['lon']:.6f}"
    if float(lon) >= 180:  # 180 (or 179.9999999, rounded) is -180 in GPX
        lon = f"{float(lon) - 360:.6f}"
    element = _element(parent, tag, lat=f"{point['lat']:.6f}", lon=lon)
    name = sanitize.text(point.get("name"))
    if name:
        _element(element, "name", name)
    description = sanitize.text(point.get("desc")) if desc else ""
    if description:
        _element(element, "desc", description)
    return element


def build_gpx(name, points, creator="Odoo CRM Suite"):
    """A GPX 1.1 document with one waypoint per stop and a route through them.

    :param points: list of dicts with lat, lon, name and optional desc
    :return: bytes (UTF-8 XML)
    """
    points = [p for p in points if valid_position(p["lat"], p["lon"])]
    name = sanitize.text(name)
    # the elements are written unqualified under a default namespace declaration
    root = ET.Element("gpx", version="1.1", creator=sanitize.text(creator), xmlns=GPX_NS)
    metadata = _element(root, "metadata")
    if name:
        _element(metadata, "name", name)
    for point in points:
        _point(root, "wpt", point)
    route = _element(root, "rte")
    if name:
        _element(route, "name", name)
    for point in points:
        _point(route, "rtept", point, desc=False)
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


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


def navigation_url(lat, lon):
    """Google Maps directions from where the phone is to one place (the next stop):
    on a phone it opens the maps app, ready to navigate."""
    return (
        "https://www.google.com/maps/dir/?api=1&travelmode=driving"
        f"&destination={quote(f'{lat:.6f},{lon:.6f}')}"
    )


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
