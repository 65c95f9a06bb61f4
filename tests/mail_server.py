"""A small SMTP server the tests start on 127.0.0.1, stop (connections refused) and start again on the same port.

It keeps every message it accepts, and can refuse the sender with a reply the test chooses (a 4xx the client
should take as "later", a 5xx as "never") a given number of times.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> Message:
        return message_from_bytes(self.data)


@dataclass
class _State:
    received: list[Received] = field(default_factory=list)
    refusal: str = ""  # the reply to MAIL FROM while refusals remain, e.g. "451 4.3.2 Try again later"
    refusals: int = 0


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        state = self.server.state
        sender, recipients = "", []
        self._reply("220 localhost ESMTP test")
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 localhost")
            elif verb == "MAIL":
                if state.refusals:
                    state.refusals -= 1
                    self._reply(state.refusal)
                    continue
                sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                state.received.append(Received(sender, recipients, b"".join(lines)))
                self._reply("250 OK queued")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:  # RSET, NOOP
                self._reply("250 OK")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    state: _State


class MailServer:
    """`start()`, `stop()`, `start()` again: the port stays the same, the messages received are kept."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.state = _State()
        self._server: _Server | None = None

    @property
    def received(self) -> list[Received]:
        return self.state.received

    def refuse(self, reply: str, *, times: int) -> None:
        self.state.refusal, self.state.refusals = reply, times

    def start(self) -> None:
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.state = self.state
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
