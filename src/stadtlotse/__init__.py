"""Stadtlotse: the open-source platform on which municipalities run their digital strategy."""

__version__ = "0.1.0"
