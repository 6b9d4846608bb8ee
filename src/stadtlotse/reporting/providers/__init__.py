"""One provider per source app (see ``reporting/sources.py``)."""
