"""While the graph is being built: the port listens at once, and a small process forked before the
build answers every request with 503 "starting" (Retry-After, the error envelope, the step the
start is at); when the graph is ready it is stopped and the same listening socket is handed to
uvicorn, so a client that polls /health sees "starting", then "ok", never a refused connection.

The responder is forked before the build (no thread runs yet: the query workers are forked
later, from the loaded data), reads each request's head within HEAD_SECONDS and HEAD_BYTES, and
answers it then closes. The parent sends it the progress lines and, at the end, STOP.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import time

from termgraph.errors import PortInUse, Starting, envelope
from termgraph.web.connections import error_headers

RETRY_AFTER = 2  # seconds
HEAD_SECONDS = 2.0  # a client that sends no whole head in this long is closed unanswered
HEAD_BYTES = 64 * 1024
STOP = "\0stop"


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound and listening (uvicorn is given it later)."""
    family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:  # taken since the command's own check (cli/serve.py: check_port)
        sock.close()
        raise PortInUse(f"cannot listen on {host}:{port} ({exc.strerror}): stop the program using it "
                        "or choose another port with --port") from None
    except BaseException:
        sock.close()
        raise
    return sock


def starting_answer(step: str) -> bytes:
    """The whole HTTP answer while starting: 503, Retry-After, the envelope with status "starting"."""
    error = Starting("termgraph is starting: the graph is being built; retry shortly").with_retry_after(RETRY_AFTER)
    body = json.dumps({"status": "starting", "step": step, **envelope(error)}, separators=(",", ":")).encode()
    head = [b"HTTP/1.1 503 Service Unavailable"]
    head += [name + b": " + value for name, value in error_headers(error, body)]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def read_head(conn: socket.socket) -> bool:
    """Read a request's head (its body, if any, is not read: the answer closes the connection)."""
    deadline, data = time.monotonic() + HEAD_SECONDS, b""
    while b"\r\n\r\n" not in data and len(data) < HEAD_BYTES:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        conn.settimeout(left)
        chunk = conn.recv(4096)
        if not chunk:
            return False
        data += chunk
    return True


def respond(sock: socket.socket, commands: int) -> None:
    """The responder's loop (in the forked process): answer until STOP comes on `commands`."""
    step, pending = "", b""
    while True:
        ready, _, _ = select.select([sock, commands], [], [])
        if commands in ready:
            chunk = os.read(commands, 65536)
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                text = line.decode("utf-8", errors="replace")
                if text == STOP:
                    return
                step = text
            if not chunk:  # the parent is gone
                return
        if sock in ready:
            try:
                conn, _ = sock.accept()
            except (BlockingIOError, InterruptedError):
                continue
            with conn:
                try:
                    if read_head(conn):
                        conn.sendall(starting_answer(step))
                except OSError:
                    pass


def die_with_parent() -> None:
    """Linux: this process gets SIGTERM when its parent dies (a killed start leaves no responder)."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Responder:
    """The forked responder: `tell` it the current step, `stop` it when the graph is ready."""

    def __init__(self, sock: socket.socket):
        read_end, self.write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the responder
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops it
                die_with_parent()
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.close(self.write_end)
                sock.setblocking(False)
                respond(sock, read_end)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(read_end)

    def tell(self, step: str) -> None:
        if self.pid:
            try:
                os.write(self.write_end, step.replace("\n", " ").encode("utf-8") + b"\n")
            except OSError:  # the responder is gone: the start goes on without it
                pass

    def stop(self) -> None:
        """Stop the responder after the answer it is writing; wait for it."""
        if not self.pid:
            return
        try:
            os.write(self.write_end, (STOP + "\n").encode())
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.write_end)
        self.pid = 0
