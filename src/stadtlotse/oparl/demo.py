"""The demo data of this part, built through its services."""


def load() -> None:
    """Nothing yet: this part adds its demo data here."""
