"""ZIP files of an export, byte for byte the same for the same files: sorted names, fixed
dates and permissions."""

import io
import zipfile

EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a ZIP entry can carry


def deterministic_zip(files, date_time=EPOCH, compresslevel=None):
    """A ZIP of {name: bytes}; every entry dated `date_time` (a time tuple, at least
    1980-01-01)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zipped:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zipped.writestr(info, files[name], compresslevel=compresslevel)
    return buffer.getvalue()
