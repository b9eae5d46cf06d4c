"""Validation of e-invoices against the official rules (tests and bench). No ORM.

Three layers, each reported with the rule that fired:

- ``XSD``: the syntax's schema (UBL 2.1 Invoice/CreditNote, UN/CEFACT CII D16B, ISDOC
  6.0.2), with lxml (libxml2);
- ``EN16931``: the CEN business rules, the compiled XSLT 2.0 of ConnectingEurope
  (SVRL output), run with SaxonC-HE (PyPI ``saxonche``);
- ``XRechnung``: the KoSIT CIUS rules, compiled from their ISO Schematron sources with
  SchXslt (phase ``xrechnung-model``) and run with SaxonC-HE.

The rule files come from ``einvoice_rules`` (shared folder, cache or download). Everything
is compiled once per process; a validation then takes a few milliseconds per layer.
Findings flagged ``fatal`` or ``error`` are errors, ``warning`` and ``information`` are
warnings.

SaxonC is a GraalVM native image: it reserves a large address space, which Odoo's server
forbids (``limit_memory_hard`` sets RLIMIT_AS). Odoo tests therefore use ``validate()``,
which runs the validator in a child process of its own (started once, lifted limit, one
request per e-invoice over a pipe); a script without that limit (the bench) may use
``Validator.get()`` in-process.
"""

import json
import re
import resource
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import NamedTuple

from lxml import etree

if __package__:
    from . import einvoice_rules
else:  # run as a script: the validator's child process
    import einvoice_rules

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
SCH = "{http://purl.oclc.org/dsdl/schematron}"
UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
ISDOC = "http://isdoc.cz/namespace/2013"
ERROR_FLAGS = ("fatal", "error")
_NAMESPACE_NOISE = re.compile(r"\[namespace-uri\(\)='[^']*'\]|Q\{[^}]*\}|\*:")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class Finding(NamedTuple):
    layer: str  # XSD, EN16931, XRechnung
    rule: str  # rule id (BR-S-02, UBL-SR-53, ...) or "XSD"
    flag: str  # fatal, error, warning, information
    text: str
    location: str

    def __str__(self):
        return f"[{self.layer}] {self.rule} ({self.flag}) {self.text} at {self.location}"


class Report(NamedTuple):
    syntax: str  # ubl, cii, isdoc
    layers: tuple  # the layers that ran
    findings: tuple

    @property
    def errors(self):
        return [f for f in self.findings if f.flag in ERROR_FLAGS]

    @property
    def warnings(self):
        return [f for f in self.findings if f.flag not in ERROR_FLAGS]

    @property
    def rules(self):
        """The ids of the rules that fired as errors, sorted, each once."""
        return sorted({f.rule for f in self.errors})

    def __str__(self):
        if not self.findings:
            return f"{self.syntax}: valid ({', '.join(self.layers)})"
        return "\n".join(
            [
                f"{self.syntax}: {len(self.errors)} errors, {len(self.warnings)} warnings "
                f"({', '.join(self.layers)})",
                *(f"  {finding}" for finding in self.findings),
            ]
        )


def syntax_of(root):
    namespace = etree.QName(root).namespace
    if namespace in (UBL_INVOICE, UBL_CREDIT_NOTE):
        return "ubl"
    if namespace == CII:
        return "cii"
    if namespace == ISDOC:
        return "isdoc"
    raise ValueError(f"not an e-invoice this validator knows: root element {root.tag}")


def _hoist_variable_patterns(text):
    """Move the ``let`` of rule-less patterns (XRechnung's ``variable-pattern`` in common.sch)
    to the schema. Same meaning: SchXslt makes every schema and pattern variable a global XSLT
    variable; SchXslt 1.10 keeps those of a pattern without rules, 1.9 drops them (so the
    rules using them would not compile). Lets the rule set run with any SchXslt 1.9/1.10."""
    root = etree.fromstring(text.encode(), _PARSER)
    lets = []
    for pattern in root.findall(f"{SCH}pattern"):
        if pattern.find(f"{SCH}rule") is None and pattern.find(f"{SCH}let") is not None:
            lets += pattern.findall(f"{SCH}let")
    if not lets:
        return text
    anchor = next((child for child in root if child.tag in (f"{SCH}phase", f"{SCH}pattern")), None)
    for let in lets:
        if anchor is None:
            root.append(let)
        else:
            anchor.addprevious(let)
    return etree.tostring(root, encoding="unicode")


class Validator:
    """One per process (``Validator.get()``): the schemas and compiled stylesheets."""

    _instance = None
    _lock = threading.Lock()

    def __init__(self):
        from saxonche import PySaxonProcessor  # noqa: PLC0415  (tests and bench only)

        self.rules = einvoice_rules.find_all()
        self._processor = PySaxonProcessor(license=False)
        self._xslt = self._processor.new_xslt30_processor()
        self._schemas = {}
        self._stylesheets = {}

    @classmethod
    def get(cls):
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    # -- loading ------------------------------------------------------------------------------
    def _schema(self, key):
        if key not in self._schemas:
            path = {
                UBL_INVOICE: self.rules["ubl-2.1"] / "xsdrt/maindoc/UBL-Invoice-2.1.xsd",
                UBL_CREDIT_NOTE: self.rules["ubl-2.1"] / "xsdrt/maindoc/UBL-CreditNote-2.1.xsd",
                CII: self.rules["en16931"]
                / einvoice_rules.CII_XSD
                / "CrossIndustryInvoice_100pD16B.xsd",
                ISDOC: self.rules["isdoc-6.0.2"] / "isdoc-invoice-6.0.2.xsd",
            }[key]
            self._schemas[key] = etree.XMLSchema(etree.parse(str(path), _PARSER))
        return self._schemas[key]

    def _stylesheet(self, key):
        if key not in self._stylesheets:
            if key.startswith("en16931-"):
                syntax = key.removeprefix("en16931-")
                path = (
                    self.rules["en16931"]
                    / syntax
                    / "xslt"
                    / f"EN16931-{syntax.upper()}-validation.xslt"
                )
                executable = self._xslt.compile_stylesheet(stylesheet_file=str(path))
            else:
                syntax = key.removeprefix("xrechnung-")
                schematron = (
                    self.rules["xrechnung"]
                    / "src/validation/schematron"
                    / syntax
                    / f"XRechnung-{syntax.upper()}-validation.sch"
                )
                executable = self._compile_schematron(schematron, "xrechnung-model")
            self._stylesheets[key] = executable
        return self._stylesheets[key]

    def _compile_schematron(self, schematron, phase):
        """ISO Schematron -> XSLT with SchXslt's three steps (include, expand, compile)."""
        steps = self.rules["schxslt"] / "xslt" / "2.0"
        document = self._processor.parse_xml(xml_file_name=str(schematron))
        for step in ("include.xsl", "expand.xsl", "compile-for-svrl.xsl"):
            executable = self._xslt.compile_stylesheet(stylesheet_file=str(steps / step))
            if step == "compile-for-svrl.xsl":
                executable.set_parameter("phase", self._processor.make_string_value(phase))
            # the first step reads the file (its location resolves common.sch)
            text = executable.transform_to_string(xdm_node=document)
            if step == "expand.xsl":
                text = _hoist_variable_patterns(text)
            document = self._processor.parse_xml(xml_text=text)
        return self._xslt.compile_stylesheet(stylesheet_text=text)

    # -- validating ---------------------------------------------------------------------------
    def validate(self, content, xrechnung=True):
        """Report on an e-invoice (bytes): XSD, then (UBL, CII) EN 16931 and, when
        `xrechnung`, the XRechnung rules. ISDOC: XSD only."""
        if isinstance(content, str):
            content = content.encode()
        root = etree.fromstring(content, _PARSER)
        syntax = syntax_of(root)
        namespace = etree.QName(root).namespace
        findings = []
        layers = ["XSD"]
        schema = self._schema(namespace)
        if not schema.validate(root):
            findings += [
                Finding("XSD", "XSD", "fatal", error.message, f"line {error.line}")
                for error in schema.error_log
            ]
        if syntax != "isdoc":
            keys = [f"en16931-{syntax}"] + ([f"xrechnung-{syntax}"] if xrechnung else [])
            node = self._processor.parse_xml(xml_text=content.decode())
            for key in keys:
                layer = "EN16931" if key.startswith("en16931") else "XRechnung"
                layers.append(layer)
                svrl = self._stylesheet(key).transform_to_string(xdm_node=node)
                findings += self._svrl_findings(layer, svrl)
        return Report(syntax, tuple(layers), tuple(findings))

    @staticmethod
    def _svrl_findings(layer, svrl):
        findings = []
        root = etree.fromstring(svrl.encode(), _PARSER)
        for node in root.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
            text = " ".join((node.findtext(f"{SVRL}text") or "").split())
            findings.append(
                Finding(
                    layer,
                    node.get("id") or "?",
                    node.get("flag") or "fatal",
                    text,
                    _NAMESPACE_NOISE.sub("", node.get("location") or ""),
                )
            )
        return findings


class ValidatorProcess:
    """The validator in a child process (see the module's docstring)."""

    _instance = None
    _lock = threading.Lock()

    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._call(b"", ping=True)  # the rules are found and compiled, or the error says why

    @classmethod
    def get(cls):
        with cls._lock:
            if cls._instance is None or cls._instance.process.poll() is not None:
                cls._instance = cls()
            return cls._instance

    @classmethod
    def close(cls):
        """End the child process (Odoo's test classes refuse leftover children)."""
        with cls._lock:
            if cls._instance is not None:
                cls._instance.process.stdin.close()
                cls._instance.process.wait(timeout=30)
                cls._instance.process.stdout.close()
                cls._instance = None

    def _call(self, content, xrechnung=True, ping=False):
        flags = (1 if xrechnung else 0) | (2 if ping else 0)
        self.process.stdin.write(struct.pack(">IB", len(content), flags) + content)
        self.process.stdin.flush()
        header = self.process.stdout.read(4)
        if len(header) < 4:
            raise RuntimeError("the e-invoice validator process ended (see its error output)")
        answer = json.loads(self.process.stdout.read(struct.unpack(">I", header)[0]))
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer

    def validate(self, content, xrechnung=True):
        if isinstance(content, str):
            content = content.encode()
        answer = self._call(content, xrechnung=xrechnung)
        return Report(
            answer["syntax"],
            tuple(answer["layers"]),
            tuple(Finding(*finding) for finding in answer["findings"]),
        )


def _serve():
    """The child process: lift the address-space limit inherited from Odoo, then answer
    requests (length, flags, XML) with reports (length, JSON) until stdin closes."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    validator = None
    while header := stdin.read(5):
        length, flags = struct.unpack(">IB", header)
        content = stdin.read(length)
        try:
            validator = validator or Validator.get()
            if flags & 2:
                answer = {"ok": True}
            else:
                report = validator.validate(content, xrechnung=bool(flags & 1))
                answer = {
                    "syntax": report.syntax,
                    "layers": list(report.layers),
                    "findings": [list(finding) for finding in report.findings],
                }
        except Exception as exc:  # noqa: BLE001  (reported to the caller, who raises it)
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        data = json.dumps(answer).encode()
        stdout.write(struct.pack(">I", len(data)) + data)
        stdout.flush()


def validate(content, xrechnung=True):
    """Report on an e-invoice (bytes), from the validator's child process."""
    return ValidatorProcess.get().validate(content, xrechnung=xrechnung)


def validate_file(path, xrechnung=True):
    return validate(Path(path).read_bytes(), xrechnung=xrechnung)


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        _serve()
    else:
        for name in sys.argv[1:]:
            sys.stdout.write(f"{name}\n{Validator.get().validate(Path(name).read_bytes())}\n")
