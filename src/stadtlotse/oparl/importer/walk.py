"""Walking an OParl source: list pages with ``links.next``, objects, embedded objects.

``pages`` follows ``next`` links and stops, with a logged problem, at a link that loops (a page
seen before), at a broken link, and after ``max_pages``; a ``next`` link that drops the filter
of the first page gets it back. ``objects`` yields each object of a list once (duplicates across
pages are logged and skipped). Only the ids seen in one list are kept, so memory stays flat in
the number of objects: pages are read one at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .fetch import Fetcher
from .log import ImportLog

MAX_PAGES = 100_000


def with_params(url: str, params: dict[str, str]) -> str:
    """The URL with these query parameters set (others kept)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


def _missing_params(url: str, params: dict[str, str]) -> bool:
    query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    return any(key not in query for key in params)


def pages(
    fetcher: Fetcher, url: str, log: ImportLog, params: dict[str, str] | None = None, max_pages: int = MAX_PAGES
) -> Iterator[list]:
    """The ``data`` of each page of an external list. An empty list answered as HTTP 404 or as
    ``[]`` is an empty list; a page that cannot be read ends the list (logged)."""
    params = params or {}
    current: str | None = with_params(url, params) if params else url
    seen: set[str] = set()
    while current and len(seen) < max_pages:
        seen.add(current)
        response = fetcher.get(current)
        if not response.ok:
            if not (response.problem == "http_error" and "404" in response.detail and len(seen) == 1):
                log.problem(response.problem, current, response.detail)
            return
        data = response.data
        if isinstance(data, list):  # some servers answer an empty list as a bare []
            yield [item for item in data if isinstance(item, dict)]
            return
        if not isinstance(data, dict) or not isinstance(data.get("data", []), list):
            log.problem("not_object", current, "no list page")
            return
        yield data.get("data") or []
        current = _next_link(data, current, seen, params, log)
    if current and len(seen) >= max_pages:
        log.problem("looping_next", current, f"more than {max_pages} pages")


def _next_link(page: dict, current: str, seen: set[str], params: dict[str, str], log: ImportLog) -> str | None:
    links = page.get("links")
    link = links.get("next") if isinstance(links, dict) else None
    if link is None or link == "":
        return None
    if not isinstance(link, str) or urlsplit(link).scheme not in {"http", "https"}:
        log.problem("broken_next", current, str(link)[:200])
        return None
    if params and _missing_params(link, params):
        link = with_params(link, params)
    if link in seen:
        log.problem("looping_next", link)
        return None
    return link


def objects(
    fetcher: Fetcher, url: str, log: ImportLog, params: dict[str, str] | None = None, state=None
) -> Iterator[dict]:
    """Each object of an external list once; objects without an id are logged and skipped.
    ``state.read`` (if given) counts the pages read."""
    ids: set[str] = set()
    for page in pages(fetcher, url, log, params):
        if state is not None:
            state.read += 1
        for obj in page:
            if not isinstance(obj, dict):
                log.problem("not_object", url, type(obj).__name__)
                continue
            oparl_id = obj.get("id")
            if not isinstance(oparl_id, str) or not oparl_id:
                log.problem("missing_field", url, "object without id")
                continue
            if oparl_id in ids:
                log.problem("duplicate", oparl_id)
                continue
            ids.add(oparl_id)
            log.seen += 1
            yield obj


def resolve(fetcher: Fetcher, value: object, log: ImportLog, quiet_404: bool = False) -> dict | None:
    """An embedded object as it is, a referenced one (a URL, or a stub with only an id) fetched.
    With ``quiet_404`` a missing object is not logged here (the caller logs what it skips)."""
    if isinstance(value, dict) and len(value) > 2:
        return value
    url = value.get("id") if isinstance(value, dict) else value
    if not isinstance(url, str) or not url:
        return None
    response = fetcher.get(url)
    if not response.ok:
        if quiet_404 and "404" in response.detail:
            return None
        log.problem("missing_reference" if response.problem == "http_error" else response.problem, url, response.detail)
        return None
    if not isinstance(response.data, dict):
        log.problem("not_object", url)
        return None
    return response.data
