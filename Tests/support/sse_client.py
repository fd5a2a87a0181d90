"""A small Server-Sent Events client for the tests and the live benchmark: one HTTP connection
(http.client, so nothing is buffered behind our back), one reader thread that parses the stream as
the EventSource spec does (`id:`, `event:`, `data:`, comments, blank line dispatches) and stamps
every event with the monotonic clock when its last line arrived. Always `close()` it (or use it as a
context manager): closing shuts the socket down, which also ends the reader thread."""
import http.client
import json
import socket
import threading
import time
import urllib.parse


class Event:
    __slots__ = ("id", "type", "data", "raw", "received")

    def __init__(self, id, type, raw, received):
        self.id = id
        self.type = type
        self.raw = raw
        self.received = received
        try:
            self.data = json.loads(raw)
        except ValueError:
            self.data = None

    def __repr__(self):
        return f"Event(id={self.id}, type={self.type!r}, data={self.raw[:120]!r})"


class SSEClient:
    """Connects at once; `status`, `headers` and, when it is not a stream, `body` are set on return."""

    def __init__(self, url, token=None, last_event_id=None, cookies=None, timeout=15):
        parts = urllib.parse.urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.events = []
        self.comments = 0
        self.lines = 0
        self.error = None
        self.connected = threading.Event()  # the first bytes of the stream arrived: the server subscribed us
        self.ended = threading.Event()
        self._condition = threading.Condition()
        self._closing = False
        self.body = b""
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self.connection.request("GET", path, headers=headers)
        self.response = self.connection.getresponse()
        self.status = self.response.status
        self.headers = self.response.headers
        self.content_type = self.headers.get("Content-Type", "")
        if self.status != 200 or not self.content_type.startswith("text/event-stream"):
            self.body = self.response.read()
            self.close()
            return
        self.connection.sock.settimeout(None)  # the reader blocks until data or close(); the server sends a comment every 15 s
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    @property
    def is_stream(self):
        return self.status == 200 and self.content_type.startswith("text/event-stream")

    def _read(self):
        event_id, event_type, data = None, None, []
        try:
            while True:
                raw = self.response.readline()
                if not raw:
                    break
                self.lines += 1
                self.connected.set()
                line = raw.decode("utf-8").rstrip("\r\n")
                if line == "":
                    if data:
                        event = Event(event_id, event_type or "message", "\n".join(data), time.monotonic())
                        with self._condition:
                            self.events.append(event)
                            self._condition.notify_all()
                    event_type, data = None, []
                    continue
                if line.startswith(":"):
                    self.comments += 1
                    continue
                field, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if field == "id":
                    event_id = int(value) if value.isdigit() else value
                elif field == "event":
                    event_type = value
                elif field == "data":
                    data.append(value)
        except Exception as error:  # noqa: BLE001  (a closed socket while closing is the normal end)
            if not self._closing:
                self.error = error
        finally:
            self.ended.set()
            with self._condition:
                self._condition.notify_all()

    def wait_connected(self, timeout=10):
        if not self.is_stream:
            raise AssertionError(f"not a stream: {self.status} {self.content_type} {self.body[:300]!r}")
        if not self.connected.wait(timeout):
            raise AssertionError("the stream sent nothing within %.0f s" % timeout)

    def wait_for(self, predicate, timeout=10, count=1):
        """The first `count` events matching `predicate`, waiting up to `timeout` seconds for them."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                found = [e for e in self.events if predicate(e)]
                if len(found) >= count:
                    return found[:count]
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.ended.is_set():
                    raise AssertionError(f"expected {count} matching events, got {len(found)}; all: {self.events[-10:]}"
                                         + (f"; error: {self.error!r}" if self.error else ""))
                self._condition.wait(remaining)

    def snapshot(self):
        with self._condition:
            return list(self.events)

    def close(self):
        self._closing = True
        sock = self.connection.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        try:
            self.connection.close()
        except OSError:
            pass
        thread = getattr(self, "_thread", None)
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
