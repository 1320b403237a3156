#!/usr/bin/env python3
"""A real SMTP server for tests (aiosmtpd, from PyPI): it accepts every message on
127.0.0.1:PORT and stores each as DIR/NNNNNN.eml (the bytes received) and DIR/NNNNNN.json
(envelope, headers and the decoded text and HTML parts), written atomically, before it
answers 250; so once the client has its answer, the files are there.

    python3 tests/smtp/sink.py --port PORT --dir DIR [--cert PEM --key PEM [--implicit-tls]]
                               [--auth USER:PASSWORD] [--reject TEXT]

With --cert and --key it requires STARTTLS before MAIL (or, with --implicit-tls, speaks TLS
from the first byte); with --auth it requires AUTH (PLAIN or LOGIN, only over TLS) with that
user and password; with --reject it answers 550 to every recipient containing TEXT.
It prints "ready" on stdout once it listens, and runs until it is killed.
"""

import argparse
import email
import json
import os
import ssl
import threading
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Store:
    def __init__(self, directory, reject=None):
        self.directory = directory
        self.reject = reject
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and self.reject in address:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def _write(self, name, data):
        tmp = os.path.join(self.directory, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, os.path.join(self.directory, name))

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        text = msg.get_body(("plain",))
        html = msg.get_body(("html",))
        record = {
            "mailFrom": envelope.mail_from,
            "rcptTos": list(envelope.rcpt_tos),
            "from": str(msg["From"] or ""),
            "to": str(msg["To"] or ""),
            "subject": str(msg["Subject"] or ""),
            "messageId": str(msg["Message-ID"] or ""),
            "date": str(msg["Date"] or ""),
            # STARTTLS sets session.ssl; implicit TLS shows in the transport.
            "tls": session.ssl is not None
            or server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "contentType": msg.get_content_type(),
            "text": text.get_content() if text is not None else None,
            "html": html.get_content() if html is not None else None,
        }
        with self.lock:
            self.count += 1
            stem = "%06d" % self.count
        self._write(stem + ".eml", envelope.content)
        self._write(stem + ".json", json.dumps(record).encode())
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth")
    parser.add_argument("--reject")
    args = parser.parse_args()
    kwargs = {}
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        if args.implicit_tls:
            kwargs["ssl_context"] = context
        else:
            kwargs["tls_context"] = context
            kwargs["require_starttls"] = True
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login.decode() == user and auth_data.password.decode() == password
            # handled=False: aiosmtpd answers 535 itself (the default leaves the client waiting).
            return AuthResult(success=ok, handled=False)

        kwargs["authenticator"] = authenticator
        kwargs["auth_required"] = True
        kwargs["auth_require_tls"] = True
    controller = Controller(
        Store(args.dir, args.reject), hostname="127.0.0.1", port=args.port, **kwargs
    )
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
