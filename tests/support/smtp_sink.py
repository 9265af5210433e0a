"""A real SMTP server for the tests (aiosmtpd), on loopback.

Each accepted message is decoded with Python's email package and written as
one JSON file to --dir: envelope sender and recipients, headers, and the
plain-text and HTML parts, and every header as [name, value]. `--reject-first N` answers the first N messages
with 451 (a temporary failure) to exercise retries. `--delay SECONDS` waits
that long before accepting each message, as a slow server does (sessions go
on in parallel meanwhile). `--refuse-recipients` answers every RCPT with a 550
that names the address, as many servers' "unknown user" replies do.

    python smtp_sink.py --port 2525 --dir /tmp/mail
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import threading
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory, reject_first, delay, refuse_recipients):
        self.directory = directory
        self.reject_first = reject_first
        self.delay = delay
        self.refuse_recipients = refuse_recipients
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipients:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.reject_first > 0:
                self.reject_first -= 1
                return "451 4.3.0 Try again later"
        if self.delay > 0:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = {}
        for part in message.walk():
            kind = part.get_content_type()
            if kind in ("text/plain", "text/html") and kind not in parts:
                parts[kind] = part.get_content()
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "content_type": message.get_content_type(),
            "headers": [[name, str(value)] for name, value in message.items()],
            "text": parts.get("text/plain"),
            "html": parts.get("text/html"),
        }
        name = os.path.join(self.directory, f"{uuid.uuid4()}.json")
        with open(name + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(name + ".tmp", name)
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--reject-first", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0)
    parser.add_argument("--refuse-recipients", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    sink = Sink(args.dir, args.reject_first, args.delay, args.refuse_recipients)
    controller = Controller(sink, hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
