"""The production WSGI server (waitress), used by `stadtlotse demo` and `stadtlotse serve`."""

import os


def run(*, host: str, port: int, threads: int | None = None) -> None:
    from waitress import serve

    from stadtlotse.wsgi import application

    threads = threads or int(os.environ.get("WEB_THREADS", "8"))
    serve(application, host=host, port=port, threads=threads, ident="stadtlotse")
