"""The XML schemas the tests validate POHODA files against.

Stormware's published POHODA schemas are used when they are found, as the project finds Odoo:

1. the folder named by the environment variable CRM_POHODA_XSD;
2. ``shared/pohoda-xsd`` next to the repository or to one of its parents (a copy laid out
   for the machines: ``../shared`` of a clone, ``../../shared`` of a worktree);
3. the cache folder ``~/.cache/crm-suite/pohoda-xsd``;
4. otherwise downloaded once from Stormware (https://www.stormware.cz/xml/schema/
   all_schema_ver2.zip, the ZIP Stormware publishes) into that cache folder.

They are not part of the repository: Stormware publishes them without a licence that allows
redistribution. When none is found and the download fails (offline), the tests validate
against ``pohoda_subset/`` instead: our own XSDs of the part of the dataPack our writers
write (element names and order, required elements, lengths, the enumerations we use), so a
wrong element or value still fails. `errors` logs (INFO) which of the two validated.
"""

import io
import logging
import os
import urllib.request
import zipfile
from pathlib import Path

from lxml import etree

_logger = logging.getLogger(__name__)

URL = "https://www.stormware.cz/xml/schema/all_schema_ver2.zip"
ROOT = Path(__file__).resolve().parents[2]
CACHE = Path.home() / ".cache" / "crm-suite" / "pohoda-xsd"
SUBSET = Path(__file__).resolve().parent / "pohoda_subset"
TIMEOUT = 10  # seconds for the download attempt
_SCHEMA = []


def folder():
    """The folder holding Stormware's data.xsd and the schemas it imports, or None when they
    are neither found nor downloadable."""
    candidates = []
    if os.environ.get("CRM_POHODA_XSD"):
        candidates.append(Path(os.environ["CRM_POHODA_XSD"]))
    candidates += [parent / "shared" / "pohoda-xsd" for parent in ROOT.parents] + [CACHE]
    for candidate in candidates:
        if (candidate / "data.xsd").exists():
            return candidate
    try:
        with urllib.request.urlopen(URL, timeout=TIMEOUT) as response:  # noqa: S310 - fixed https URL
            data = response.read()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            CACHE.mkdir(parents=True, exist_ok=True)
            archive.extractall(CACHE)
    except (OSError, zipfile.BadZipFile) as error:
        _logger.info(
            "Stormware's POHODA schemas not found (CRM_POHODA_XSD, %s, %s) and not downloadable "
            "from %s (%s): validating against our subset schemas %s",
            candidates[-2],
            CACHE,
            URL,
            error,
            SUBSET,
        )
        return None
    return CACHE if (CACHE / "data.xsd").exists() else None


def schema():
    """(description, XMLSchema) of a dataPack: Stormware's data.xsd with every agenda it
    imports, else our subset; loaded once."""
    if not _SCHEMA:
        found = folder()
        if found:
            description = f"Stormware's POHODA schemas in {found}"
        else:
            found, description = SUBSET, f"our POHODA subset schemas in {SUBSET}"
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        _SCHEMA.append((description, etree.XMLSchema(etree.parse(str(found / "data.xsd"), parser))))
    return _SCHEMA[0]


def errors(data):
    """The XSD errors of a POHODA XML file (bytes): [] when valid."""
    description, validator = schema()
    document = etree.parse(io.BytesIO(data))
    valid = validator.validate(document)
    _logger.info(
        "POHODA file validated against %s: %s", description, "valid" if valid else "invalid"
    )
    if valid:
        return []
    return [f"line {e.line}: {e.message}" for e in validator.error_log]
