"""The OParl importer: fetching (``fetch``), walking lists and objects (``walk``), mapping to
our models (``mapping``) and the run with its log (``run``)."""
