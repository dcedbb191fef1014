"""Byte-exact HTTP/1.1 exchanges for the hostile-input suite.

http.client normalises what it sends (it refuses a NUL in a header, adds Host, fixes line
endings); an attacker does not. `exchange` writes exactly the bytes it is given (all at once, or
in paced pieces from a thread of its own), reads what comes back while it writes (so that an early
answer such as 431 is not lost to the reset of a connection the server closed on unread bytes),
and parses every response found in the stream: a second response to one request is how request
smuggling shows. Every wait is bounded.
"""
import re
import socket
import threading
import time


class RawResponse:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # [(lowercase name, value)] in the order received
        self.body = body

    def header(self, name, default=None):
        name = name.lower()
        for k, v in self.headers:
            if k == name:
                return v
        return default

    def error_code(self):
        """The S3 <Error><Code> of the body, or None. (A regular expression, not an XML parser:
        an error message that echoes invalid UTF-8 must not hide the code.)"""
        m = re.search(rb"<Error>.*?<Code>([^<]*)</Code>", self.body, re.S)
        return m.group(1).decode("latin-1") if m else None

    def __repr__(self):
        return "<HTTP %s %s %r>" % (self.status, self.reason, self.body[:300])


def parse_responses(data):
    """Splits a byte stream into responses (to requests other than HEAD). Returns (final
    responses, bytes left unparsed); 1xx interim responses are dropped."""
    out = []
    while data:
        end = data.find(b"\r\n\r\n")
        if end < 0 or not data.startswith(b"HTTP/"):
            break
        lines = data[:end].decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        try:
            status = int(parts[1])
        except (IndexError, ValueError):
            break
        headers = []
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers.append((k.strip().lower(), v.strip()))
        length = 0
        for k, v in headers:
            if k == "content-length":
                length = int(v)
        if status < 200 or status in (204, 304):
            length = 0
        if len(data) < end + 4 + length:
            break
        body = data[end + 4:end + 4 + length]
        data = data[end + 4 + length:]
        if status >= 200:
            out.append(RawResponse(status, parts[2] if len(parts) > 2 else "", headers, body))
    return out, data


class Outcome:
    """What one connection got back: the responses, whether the server closed, the time taken."""

    def __init__(self, responses, leftover, closed, elapsed, send_error):
        self.responses = responses
        self.leftover = leftover
        self.closed = closed
        self.elapsed = elapsed
        self.send_error = send_error

    @property
    def first(self):
        return self.responses[0] if self.responses else None

    @property
    def status(self):
        return self.first.status if self.first else None

    def __repr__(self):
        return ("<%d response(s) %r, closed=%s, %.2fs, send error %r, unparsed %r>"
                % (len(self.responses), self.responses[:3], self.closed, self.elapsed,
                   self.send_error, self.leftover[:200]))


def _send(sock, pieces, half_close, errors):
    try:
        for piece, delay in pieces:
            if delay:
                time.sleep(delay)
            sock.sendall(piece)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
    except OSError as e:  # the server hung up on us: expected for many hostile requests
        errors.append(e)


def exchange(host, port, data, timeout=5.0, half_close=True, settle=0.3, want=1):
    """Sends `data` (bytes, or [(bytes, seconds to wait before them)]) on a fresh connection and
    reads responses until the server closes, `timeout` passes, or `want` final responses have
    arrived and nothing more came for `settle` seconds (so that an extra, smuggled response is
    still seen). `half_close`: shut down our sending side once everything is sent, as a client
    that has nothing more to say does."""
    pieces = [(data, 0)] if isinstance(data, bytes) else list(data)
    start = time.monotonic()
    sock = socket.create_connection((host, port), timeout=timeout)
    errors = []
    sender = threading.Thread(target=_send, args=(sock, pieces, half_close, errors), daemon=True)
    received = b""
    closed = False
    try:
        sender.start()
        deadline = start + timeout
        quiet_since = None
        while True:
            now = time.monotonic()
            responses, _ = parse_responses(received)
            if len(responses) >= want:
                quiet_since = quiet_since or now
                if now - quiet_since >= settle:
                    break
            if now >= deadline:
                break
            wait = deadline - now
            if quiet_since:
                wait = min(wait, settle - (now - quiet_since))
            sock.settimeout(max(wait, 0.01))
            try:
                chunk = sock.recv(1 << 16)
            except socket.timeout:
                continue
            except (ConnectionResetError, BrokenPipeError):
                closed = True
                break
            if not chunk:
                closed = True
                break
            received += chunk
            quiet_since = None
    finally:
        sock.close()  # also unblocks a sender stuck on a full socket
        sender.join(timeout=5)
    responses, leftover = parse_responses(received)
    return Outcome(responses, leftover, closed, time.monotonic() - start,
                   errors[0] if errors else None)


def request_head(method, target, headers, version="HTTP/1.1"):
    """A request head from [(name, value)] in order (duplicates kept); names and values may be
    bytes, so that anything at all can be sent."""
    def b(x):
        return x if isinstance(x, bytes) else str(x).encode("latin-1")
    out = [b(method), b" ", b(target), b" ", b(version), b"\r\n"]
    for k, v in headers:
        out += [b(k), b": ", b(v), b"\r\n"]
    out.append(b"\r\n")
    return b"".join(out)


def chunked(body, size=4096):
    """`body` in Transfer-Encoding: chunked framing, with its last chunk."""
    out = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size])
           for i in range(0, len(body), size)]
    return b"".join(out) + b"0\r\n\r\n"
