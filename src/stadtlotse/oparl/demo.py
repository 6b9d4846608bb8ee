"""The demo data of this part: none of its own.

The OParl server serves the demo data of the governance and council parts as they are (public
data only), and the import page starts without runs: an import needs a council information
system to read from, which a demo without network does not have. (The demo loader does not call
this part; ``load`` stays for symmetry with the other parts.)"""


def load() -> None:
    """Nothing to add."""
