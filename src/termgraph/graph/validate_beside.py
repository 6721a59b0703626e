"""The SHACL gate (validate.gate) run beside the load, in a process of its own."""

from __future__ import annotations

import os
import pickle
import signal
import threading
from pathlib import Path

from termgraph.graph.files import DataFile


class GateBeside:
    """validate.gate() in a forked process while this one goes on (loading the same data: the
    start of `serve` takes the longer of the two instead of their sum, and neither rdflib and
    pyshacl nor the validation's graphs are ever in the process whose memory the query workers
    share). `result()`
    waits for it and raises what gate() raised. Run inline instead where forking is not safe
    (another thread runs) or possible."""

    def __init__(self, root: Path, files: list[DataFile] | None = None):
        self.pid, self.error = 0, None
        if not hasattr(os, "fork") or threading.active_count() > 1:
            self.error = self.outcome(root, files)
            return
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: validate, send back what gate() raised (or None), exit
            code = 0
            try:
                os.close(read_end)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops it
                with os.fdopen(write_end, "wb") as out:
                    out.write(self.sendable(self.outcome(root, files)))
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write_end)
        self.read_end = read_end

    @staticmethod
    def outcome(root: Path, files) -> BaseException | None:
        try:
            from termgraph.graph.validate import gate  # (rdflib and pyshacl: imported here only)

            gate(root, files)
        except Exception as exc:  # ValidationFailed, DataSyntaxError, or a failure of the check itself
            return exc
        return None

    @staticmethod
    def sendable(error: BaseException | None) -> bytes:
        """The error as its class, arguments and attributes (an exception whose __init__ takes
        other arguments than its `args`, as termgraph's do, does not pickle back by itself)."""
        if error is None:
            return pickle.dumps(None)
        try:
            return pickle.dumps((type(error), error.args, vars(error)))
        except Exception:
            return pickle.dumps((RuntimeError, (f"the SHACL gate failed: {type(error).__name__}: {error}",), {}))

    @staticmethod
    def received(sent: bytes) -> BaseException | None:
        unpickled = pickle.loads(sent)
        if unpickled is None:
            return None
        cls, args, attributes = unpickled
        error = cls.__new__(cls)
        BaseException.__init__(error, *args)
        vars(error).update(attributes)
        return error

    def result(self) -> None:
        """Wait for the gate; raise what it raised (a gate that died says so: it could not run)."""
        if self.pid:
            with os.fdopen(self.read_end, "rb") as answer:
                sent = answer.read()
            _, status = os.waitpid(self.pid, 0)
            self.pid = 0
            try:
                self.error = self.received(sent)
            except Exception:
                self.error = RuntimeError("the SHACL gate could not run: its process ended "
                                          f"{'by signal ' + str(-os.waitstatus_to_exitcode(status)) if os.WIFSIGNALED(status) else 'with no answer'}")
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        """End a gate still running (the start failed or was interrupted)."""
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            os.close(self.read_end)
            self.pid = 0
