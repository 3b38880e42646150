"""A local SMTP server and a local webhook receiver, each in a thread, for the tests.

The SMTP sink speaks just enough of the protocol for Django's SMTP backend (EHLO, MAIL,
RCPT, DATA, RSET, NOOP, QUIT) and keeps every message; the webhook receiver keeps every
POST (its path, query and JSON body) and answers what the test tells it to.
"""

import email
import email.header
import email.policy
import json
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class _SmtpHandler(socketserver.StreamRequestHandler):
    def _say(self, line):
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self):
        self._say("220 sink ready")
        sender, rcpts = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250 sink")
            elif verb == "MAIL":
                sender, rcpts = command.split(":", 1)[1].strip(), []
                self._say("250 OK")
            elif verb == "RCPT":
                rcpts.append(command.split(":", 1)[1].strip().strip("<>"))
                self._say("250 OK")
            elif verb == "DATA":
                self._say("354 end with <CRLF>.<CRLF>")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.server.messages.append(Mail(sender, rcpts, b"".join(data)))
                self._say("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self._say("250 OK")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("502 not implemented")


class Mail:
    """One message the sink received."""

    def __init__(self, sender, rcpts, data):
        self.sender, self.rcpts = sender, rcpts
        self.message = email.message_from_bytes(data, policy=email.policy.default)

    @property
    def subject(self):
        return str(self.message["Subject"])

    @property
    def text(self):
        return self.message.get_content()


class _SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def start_smtp():
    server = _SmtpServer(("127.0.0.1", 0), _SmtpHandler)
    server.messages = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _HookHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        parts = urlsplit(self.path)
        self.server.posts.append(
            {
                "path": parts.path,
                "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                "body": json.loads(raw.decode("utf-8")),
            }
        )
        status, answer = self.server.answer
        data = json.dumps(answer).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def start_receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HookHandler)
    server.posts = []
    server.answer = (200, {"errcode": 0, "errmsg": "ok"})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop(server):
    server.shutdown()
    server.server_close()


def header(value):
    return str(email.header.make_header(email.header.decode_header(value)))
