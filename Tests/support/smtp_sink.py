#!/usr/bin/env python3
"""A real SMTP server for Cocrea's tests (aiosmtpd on loopback).

Every accepted message is written to DIR/<n>.eml (the raw bytes) and then
DIR/<n>.json (what Python's own `email` package makes of it, so our MIME is
checked by an independent parser). Both files appear atomically: a reader
that sees <n>.json also sees the complete <n>.eml.

    smtp_sink.py --port P --dir D [--auth-user U --auth-password W]
                 [--tls-cert C --tls-key K] [--fail-first N]
                 [--reject-rcpt EMAIL ...] [--exit-on-stdin-close]
    smtp_sink.py --generate-cert DIR     # writes DIR/cert.pem and DIR/key.pem

"READY <port>" is printed on stdout once the server listens (with --port 0,
the port the system chose).
"""

import argparse
import asyncio
import base64
import datetime
import email
import email.policy
import hashlib
import ipaddress
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def generate_certificate(directory):
    """A self-signed P-256 certificate for localhost and 127.0.0.1."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    os.makedirs(directory, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    public_key = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([
                x509.DNSName("localhost"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            ]),
            critical=False,
        )
        # Its own trust anchor: clients load it as their CA file.
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, content_commitment=False,
                key_encipherment=False, data_encipherment=False, key_agreement=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path = os.path.join(directory, "cert.pem")
    key_path = os.path.join(directory, "key.pem")
    write_atomically(cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    write_atomically(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    return cert_path, key_path


def write_atomically(path, data):
    temporary = path + ".tmp"
    with open(temporary, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


def address_json(address):
    return {"name": address.display_name, "email": address.addr_spec}


def describe(raw, envelope):
    """What an independent MIME parser reads in the message."""
    message = email.message_from_bytes(raw, policy=email.policy.default)

    def text_of(preference):
        part = message.get_body(preferencelist=(preference,))
        if part is None:
            return None
        return part.get_content().replace("\r\n", "\n")

    attachments = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True) or b""
        attachments.append({
            "filename": part.get_filename(),
            "mediaType": part.get_content_type(),
            "parameters": {key: str(value) for key, value in part["content-type"].params.items()},
            "disposition": part.get_content_disposition(),
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            # Small attachments travel whole, so tests can compare bytes.
            "dataBase64": base64.b64encode(data).decode("ascii") if len(data) <= 1 << 20 else None,
        })

    from_header = message["from"]
    to_header = message["to"]
    return {
        "mailFrom": envelope.mail_from,
        "rcptTos": list(envelope.rcpt_tos),
        "subject": str(message["subject"]) if message["subject"] is not None else None,
        "from": [address_json(a) for a in from_header.addresses] if from_header else [],
        "to": [address_json(a) for a in to_header.addresses] if to_header else [],
        "messageID": message["message-id"],
        "date": message["date"],
        "contentType": message.get_content_type(),
        "textBody": text_of("plain"),
        "htmlBody": text_of("html"),
        "attachments": attachments,
        # Anything the parser had to forgive, in any part: a correct message has none.
        "defects": [
            f"{part.get_content_type()}: {type(defect).__name__}"
            for part in message.walk()
            for defect in part.defects
        ],
        "longestLine": max((len(line) for line in raw.split(b"\r\n")), default=0),
    }


class Sink:
    def __init__(self, directory, fail_first, rejected):
        self.directory = directory
        self.failures_left = fail_first
        self.rejected = {address.lower() for address in rejected}
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejected:
            return "550 5.1.1 <%s>: recipient rejected" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.failures_left > 0:
            self.failures_left -= 1
            return "451 4.3.0 try again later"
        self.count += 1
        base = os.path.join(self.directory, str(self.count))
        raw = envelope.original_content
        write_atomically(base + ".eml", raw)
        summary = describe(raw, envelope)
        write_atomically(base + ".json", json.dumps(summary, ensure_ascii=False, indent=2).encode("utf-8"))
        return "250 OK queued as %d" % self.count


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode("utf-8")
            and auth_data.password == password.encode("utf-8")
        )
        # handled=False: aiosmtpd then answers 535 itself on failure.
        return AuthResult(success=ok, handled=False)
    return authenticate


async def serve(args):
    os.makedirs(args.dir, exist_ok=True)
    handler = Sink(args.dir, args.fail_first, args.reject_rcpt)
    options = {"hostname": "cocrea-sink"}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=True, auth_require_tls=True)
    else:
        options.update(auth_require_tls=False)
    if args.auth_user is not None:
        options.update(
            authenticator=make_authenticator(args.auth_user, args.auth_password or ""),
            auth_required=True,
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **options), host="127.0.0.1", port=args.port)
    stopped = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    if args.exit_on_stdin_close:
        # The test process holds our stdin; if it dies without stopping us, we stop too.
        # The raw descriptor, not sys.stdin: a thread blocked in the buffered reader holds its lock,
        # and the interpreter aborts at exit when it cannot take it.
        def watch_stdin():
            while os.read(sys.stdin.fileno(), 65536):
                pass
            try:
                loop.call_soon_threadsafe(stopped.set)
            except RuntimeError:  # the loop already ended
                pass
        threading.Thread(target=watch_stdin, daemon=True).start()
    print("READY %d" % server.sockets[0].getsockname()[1], flush=True)
    await stopped.wait()
    server.close()
    await server.wait_closed()


def main():
    # A parent that starts us from a thread with signals blocked (libdispatch's
    # threads, under Foundation.Process) passes that mask on; undo it so SIGTERM works.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generate-cert", metavar="DIR")
    parser.add_argument("--port", type=int)
    parser.add_argument("--dir")
    parser.add_argument("--auth-user")
    parser.add_argument("--auth-password")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--fail-first", type=int, default=0, metavar="N")
    parser.add_argument("--reject-rcpt", action="append", default=[], metavar="EMAIL")
    parser.add_argument("--exit-on-stdin-close", action="store_true")
    args = parser.parse_args()

    if args.generate_cert:
        cert_path, key_path = generate_certificate(args.generate_cert)
        print(cert_path)
        print(key_path)
        return
    if args.port is None or args.dir is None:
        parser.error("--port and --dir are required")
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
