"""Getting OParl JSON from a source: HTTP, a local directory, or a zip/tar archive.

Every fetcher answers ``get(url)`` with a ``Response``: the parsed JSON or the problem that
kept it from being read (``ProblemKind``). Nothing raises for a bad answer, so one bad page
never stops an import. The HTTP fetcher retries timeouts, connection errors and 5xx/429
answers with exponential backoff (``sleep`` is injectable, so tests never wait), then gives up
on that URL and the importer continues with the next.

Directory and archive sources map a URL to a file by its path: ``https://host/a/b?x=1`` is
looked up as ``host/a/b?x=1.json``, ``host/a/b.json``, ``a/b.json``, ``b.json`` and the same
without ``.json``, relative to the directory or archive root. A source directory may also hold
an ``index.json`` whose ``{"url": "relative/file.json"}`` entries name the files explicitly.

The HTTP fetcher connects only to public addresses. An import is started by a municipality's
administrator, not by the operator, so the server must not become their way into the
operator's own network (loopback, private, link-local such as cloud metadata, and other
reserved ranges). The address is checked on every connection, after the name is resolved and
for every redirect, so neither a redirect nor a name that resolves differently the second time
gets through. Networks the operator trusts (a council information system in the intranet of
the municipal IT provider) are opened with ``OPARL_ALLOWED_NETWORKS``.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import tarfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol
from urllib.parse import urlsplit

MAX_BYTES = 20 * 1024 * 1024  # one OParl page is far smaller; a bigger answer is not read


@dataclass
class Response:
    url: str
    data: object = None
    problem: str = ""  # a ProblemKind value, empty when data was read
    detail: str = ""
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return not self.problem


class Fetcher(Protocol):
    def get(self, url: str) -> Response: ...


def parse_json(url: str, raw: bytes, content_type: str = "") -> Response:
    """Parse an answer; HTML instead of JSON and broken JSON are problems, not exceptions.
    Raw control characters inside strings (which some servers send) are accepted."""
    head = raw[:512].lstrip().lower()
    if "html" in content_type.lower() or head.startswith((b"<!doctype", b"<html", b"<?xml", b"<")):
        return Response(url, problem="not_json", detail=content_type or "html")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        return Response(url, data=json.loads(text, strict=False))
    except ValueError as exc:
        return Response(url, problem="broken_json", detail=str(exc)[:200])


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class BlockedAddress(OSError):
    """A connection to an address that is not public and not among the allowed networks."""


def networks(values) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip())


def check_address(address: str, allowed: tuple[Network, ...]) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if (ip.is_global and not ip.is_multicast) or any(ip in network for network in allowed):
        return
    raise BlockedAddress(str(ip))  # the detail of the problem; its kind says what is wrong


def _guarded_opener(allowed: tuple[Network, ...]):
    """An opener whose every connection checks the address it actually reached before sending."""

    def create_connection(address, *args, **kwargs):
        sock = socket.create_connection(address, *args, **kwargs)
        try:
            check_address(sock.getpeername()[0], allowed)
        except BlockedAddress:
            sock.close()
            raise
        return sock

    class Http(http.client.HTTPConnection):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._create_connection = create_connection

    class Https(http.client.HTTPSConnection):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._create_connection = create_connection

    class HttpHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(Http, req)

    class HttpsHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(Https, req, context=self._context)

    # No proxy handler: a proxy from the environment would be the checked peer, not the target.
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), HttpHandler, HttpsHandler)


class HttpFetcher:
    """HTTP(S) with a timeout per request and retries with exponential backoff, to public
    addresses and the ``allowed`` networks only (default: the setting OPARL_ALLOWED_NETWORKS)."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        retries: int = 3,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        opener=None,
        allowed: tuple[Network, ...] | None = None,
    ) -> None:
        self.timeout, self.retries, self.backoff, self.sleep = timeout, retries, backoff, sleep
        if allowed is None:
            from django.conf import settings

            allowed = networks(settings.OPARL_ALLOWED_NETWORKS)
        self.opener = opener or _guarded_opener(allowed)

    def get(self, url: str) -> Response:
        if urlsplit(url).scheme not in {"http", "https"}:
            return Response(url, problem="bad_url", detail=url[:200])
        last = Response(url, problem="http_error")
        for attempt in range(1, self.retries + 2):
            last = self._once(url)
            last.attempts = attempt
            if last.ok or last.problem not in {"timeout", "connection", "server_error"}:
                return last
            if attempt <= self.retries:
                self.sleep(self.backoff * 2 ** (attempt - 1))
        return last

    def get_bytes(self, url: str, limit: int = MAX_BYTES) -> bytes | None:
        """A file's content (one try per retry, the same backoff), or None."""
        if urlsplit(url).scheme not in {"http", "https"}:
            return None
        for attempt in range(self.retries + 1):
            try:
                with self.opener.open(
                    urllib.request.Request(url, headers={"User-Agent": "Stadtlotse-OParl"}), timeout=self.timeout
                ) as answer:
                    raw = answer.read(limit + 1)
                return raw if len(raw) <= limit else None
            except urllib.error.HTTPError as exc:
                if exc.code < 500 and exc.code != 429:
                    return None
            except (urllib.error.URLError, OSError) as exc:
                if isinstance(getattr(exc, "reason", exc), BlockedAddress):
                    return None
            if attempt < self.retries:
                self.sleep(self.backoff * 2**attempt)
        return None

    def _once(self, url: str) -> Response:
        request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "Stadtlotse-OParl"})
        try:
            with self.opener.open(request, timeout=self.timeout) as answer:
                raw = answer.read(MAX_BYTES + 1)
                content_type = answer.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            kind = "server_error" if exc.code >= 500 or exc.code == 429 else "http_error"
            return Response(url, problem=kind, detail=f"HTTP {exc.code}")
        except TimeoutError:
            return Response(url, problem="timeout", detail=f"{self.timeout:g} s")
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, BlockedAddress):
                return Response(url, problem="blocked_address", detail=str(reason)[:200])
            kind = "timeout" if isinstance(reason, TimeoutError) else "connection"
            return Response(url, problem=kind, detail=str(reason)[:200])
        if len(raw) > MAX_BYTES:
            return Response(url, problem="too_large", detail=f"> {MAX_BYTES} bytes")
        return parse_json(url, raw, content_type)


def candidates(url: str) -> list[str]:
    """Relative file names under which a URL may be stored in a directory or archive."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    query = f"?{parts.query}" if parts.query else ""
    segments = [s for s in PurePosixPath(path).parts if s not in {"", ".", ".."}]
    names: list[str] = []
    for start in range(len(segments)):
        tail = "/".join(segments[start:])
        names += [f"{tail}{query}.json", f"{tail}{query}"] if query else []
        names += [f"{tail}.json", tail]
    host = parts.netloc.replace(":", "_")
    if host:
        names = [f"{host}/{n}" for n in names[:2]] + names
    return names or ["index.json"]


class _FileSource:
    """Shared lookup of URLs in a set of stored files: by ``index.json``, by path, and by the
    ``id`` of the objects the files hold (so a dump named in any way still resolves)."""

    def __init__(self) -> None:
        self.index: dict[str, str] = {}
        self._ids: dict[str, tuple[str, int]] = {}  # object id → (file, position in a list page or -1)
        self._types: dict[str, list[tuple[str, int]]] = {}

    def names(self) -> set[str]:
        raise NotImplementedError

    def read(self, name: str) -> bytes:
        raise NotImplementedError

    def scan(self) -> None:
        """Read ``index.json`` and note the id and type of every object stored (ids only are kept)."""
        if "index.json" in self.names():
            data = parse_json("index.json", self.read("index.json")).data
            if isinstance(data, dict):
                self.index = {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}
        for name in sorted(self.names()):
            if name == "index.json":
                continue
            data = parse_json(name, self.read(name)).data
            items = [(data, -1)] if isinstance(data, dict) and "id" in data else []
            if isinstance(data, dict) and isinstance(data.get("data"), list):
                items += [(item, i) for i, item in enumerate(data["data"]) if isinstance(item, dict)]
            for item, position in items:
                if isinstance(item.get("id"), str):
                    self._ids.setdefault(item["id"], (name, position))
                kind = str(item.get("type", "")).rstrip("/").rsplit("/", 1)[-1]
                self._types.setdefault(kind, []).append((name, position))

    def _load(self, url: str, name: str, position: int) -> Response:
        response = parse_json(url, self.read(name))
        if position >= 0 and response.ok:
            response.data = response.data["data"][position]
        return response

    def get(self, url: str) -> Response:
        names = self.names()
        wanted = [self.index[url]] if url in self.index else candidates(url)
        for name in wanted:
            if name in names:
                return parse_json(url, self.read(name))
        if url in self._ids:
            return self._load(url, *self._ids[url])
        return Response(url, problem="http_error", detail="HTTP 404 (not in the source)")

    def objects_of_type(self, kind: str):
        """Every stored object of an OParl type (for a dump whose list URLs were not saved)."""
        for name, position in self._types.get(kind, []):
            response = self._load(name, name, position)
            if response.ok:
                yield response.data

    def get_bytes(self, url: str) -> bytes | None:
        names = self.names()
        for name in candidates(url):
            if name in names:
                return self.read(name)
        return None

    def entry(self) -> str | None:
        """The id of the System (else the first Body) stored, the natural start of an import."""
        for kind in ("System", "Body"):
            for name, position in self._types.get(kind, []):
                data = self._load(name, name, position).data
                if isinstance(data, dict) and isinstance(data.get("id"), str):
                    return data["id"]
        return None


class DirectoryFetcher(_FileSource):
    """Files below a local directory."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = Path(root)
        self._names = {p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file()}
        self.scan()

    def names(self) -> set[str]:
        return self._names

    def read(self, name: str) -> bytes:
        return (self.root / name).read_bytes()[: MAX_BYTES + 1]


class ArchiveFetcher(_FileSource):
    """Members of a zip or tar archive (read lazily, member by member)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        path = Path(path)
        if zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            self._members = {n.strip("/"): n for n in self._zip.namelist() if not n.endswith("/")}
            self._tar = None
        else:
            self._tar = tarfile.open(path)  # raises tarfile.ReadError for other files
            self._members = {m.name.strip("/").removeprefix("./"): m for m in self._tar.getmembers() if m.isfile()}
            self._zip = None
        prefix = _common_prefix(self._members)
        self._names = {n[len(prefix) :]: n for n in self._members}
        self.scan()

    def names(self) -> set[str]:
        return set(self._names)

    def read(self, name: str) -> bytes:
        member = self._members[self._names[name]]
        if self._zip is not None:
            with self._zip.open(member) as handle:
                return handle.read(MAX_BYTES + 1)
        handle = self._tar.extractfile(member)
        return handle.read(MAX_BYTES + 1) if handle else b""


def _common_prefix(names) -> str:
    """A single top folder that every member shares (as ``tar czf x.tgz folder`` makes)."""
    tops = {n.split("/", 1)[0] for n in names if "/" in n}
    if len(tops) == 1 and all("/" in n for n in names):
        return tops.pop() + "/"
    return ""


def is_archive(path: Path) -> bool:
    return zipfile.is_zipfile(path) or tarfile.is_tarfile(path)
