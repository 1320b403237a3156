#!/usr/bin/env python3
"""A real SMTP server for tests (aiosmtpd, from PyPI): it accepts every message on
127.0.0.1:PORT and stores each as DIR/NNNNNN.eml (the bytes received) and DIR/NNNNNN.json
(envelope, headers and the decoded text and HTML parts), written atomically, before it
answers 250; so once the client has its answer, the files are there.

    python3 tests/smtp/sink.py --port PORT --dir DIR

It prints "ready" on stdout once it listens, and runs until it is killed.
"""

import argparse
import email
import json
import os
import threading
from email import policy

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

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
    args = parser.parse_args()
    controller = Controller(Store(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
