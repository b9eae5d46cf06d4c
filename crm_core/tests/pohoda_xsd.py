"""Stormware's published POHODA XML schemas for the tests, found as the project finds Odoo:

1. the folder named by the environment variable CRM_POHODA_XSD;
2. ``shared/pohoda-xsd`` next to the repository or to one of its parents (a copy laid out
   for the machines: ``../shared`` of a clone, ``../../shared`` of a worktree);
3. the cache folder ``~/.cache/crm-suite/pohoda-xsd``;
4. otherwise downloaded once from Stormware (https://www.stormware.cz/xml/schema/
   all_schema_ver2.zip, the ZIP Stormware publishes) into that cache folder.

They are not part of the repository: Stormware publishes them without a licence that allows
redistribution, and no package registry ships them (PyPI ``pohoda`` 1.17.3 builds the XML
without the schemas; npm and Debian have none). Without them (no download, no copy) the tests
that validate fail with this explanation.
"""

import io
import os
import urllib.request
import zipfile
from pathlib import Path

from lxml import etree

URL = "https://www.stormware.cz/xml/schema/all_schema_ver2.zip"
ROOT = Path(__file__).resolve().parents[2]
CACHE = Path.home() / ".cache" / "crm-suite" / "pohoda-xsd"
_SCHEMA = []


def folder():
    """The folder holding data.xsd and the schemas it imports."""
    candidates = []
    if os.environ.get("CRM_POHODA_XSD"):
        candidates.append(Path(os.environ["CRM_POHODA_XSD"]))
    candidates += [parent / "shared" / "pohoda-xsd" for parent in ROOT.parents]
    candidates.append(CACHE)
    for candidate in candidates:
        if (candidate / "data.xsd").exists():
            return candidate
    try:
        with urllib.request.urlopen(URL, timeout=30) as response:  # noqa: S310 - fixed https URL
            data = response.read()
        CACHE.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.extractall(CACHE)
    except OSError as error:
        raise AssertionError(
            "Stormware's POHODA XML schemas are missing: data.xsd and the schemas it imports "
            f"(the unpacked {URL}). Looked in {', '.join(map(str, candidates))}; the download "
            f"failed: {error}. No package registry ships them (no redistribution licence). "
            f"Unpack that ZIP, downloaded elsewhere, into {CACHE} or set CRM_POHODA_XSD to the "
            "folder holding data.xsd."
        ) from error
    return CACHE


def schema():
    """The XMLSchema of a dataPack (data.xsd with every agenda it imports), loaded once."""
    if not _SCHEMA:
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        _SCHEMA.append(etree.XMLSchema(etree.parse(str(folder() / "data.xsd"), parser)))
    return _SCHEMA[0]


def errors(data):
    """The XSD errors of a POHODA XML file (bytes): [] when valid."""
    validator = schema()
    document = etree.parse(io.BytesIO(data))
    if validator.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in validator.error_log]
