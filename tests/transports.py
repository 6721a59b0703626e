"""What asyncio gives a protocol, recording the writes: the one fake transport of the tests that
drive uvicorn's protocol or request cycle without a socket (test_contracts, test_connections)."""

from __future__ import annotations


class Transport:
    """What asyncio gives a protocol, recording the writes."""

    def __init__(self):
        self.calls: list[tuple[str, list[bytes]]] = []
        self.closed = False

    def write(self, data) -> None:
        self.calls.append(("write", [bytes(data)]))

    def writelines(self, chunks) -> None:
        self.calls.append(("writelines", [bytes(c) for c in chunks]))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name, default=None):
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 5000)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None:
        pass
