"""The same command under the name the documentation uses: ``stadtlotse import-oparl``."""

from .import_oparl import Command  # noqa: F401
