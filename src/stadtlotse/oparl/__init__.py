"""OParl 1.1: the server under /oparl/v1/ and the importer from council information systems."""
