"""An RFC 3161 time-stamping authority made with openssl at test time, nothing fetched: a certificate for
time-stamping only (extendedKeyUsage critical, timeStamping) issued by a test root, behind a small HTTP
server the test starts and stops on a fixed port, so COCREA_TSA_URL stays the same while it is away.
Each POST of an `application/timestamp-query` is answered with `openssl ts -reply` as an
`application/timestamp-reply`; Tests/CocreaTestSupport/TestTimestampAuthority.swift is its Swift twin."""
import http.server
import pathlib
import subprocess
import threading
import uuid

SUBJECT = "/C=MX/O=Autoridad de Sellado de Tiempo de Prueba/CN=Sello de tiempo de prueba"
CONFIG = """[timestamping]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[tsa]
default_tsa = authority
[authority]
dir = .
serial = tsa.serial
crypto_device = builtin
signer_cert = tsa.pem
signer_key = tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.57264.1.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def openssl(directory, *arguments):
    done = subprocess.run(["openssl", *arguments], cwd=directory, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


class TimestampAuthority:
    """The authority and its HTTP front: `start()` and `stop()` it as the journey needs; `replies` counts
    the tokens it granted. `directory` holds the issuing root as root.pem and root.key."""

    def __init__(self, directory, port):
        self.directory = pathlib.Path(directory)
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.replies = 0
        self._server = None
        self._thread = None
        # `openssl ts -reply` keeps its serial number in a file, which two replies at once would both write.
        self._replying = threading.Lock()
        (self.directory / "tsa.cnf").write_text(CONFIG)
        (self.directory / "tsa.serial").write_text("01\n")
        openssl(self.directory, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
                "-subj", SUBJECT)
        openssl(self.directory, "x509", "-req", "-in", "tsa.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial",
                "-days", "3650", "-extfile", "tsa.cnf", "-extensions", "timestamping", "-out", "tsa.pem")

    def reply(self, query):
        """The DER `TimeStampResp` for a DER `TimeStampReq`."""
        with self._replying:
            stem = uuid.uuid4().hex
            (self.directory / f"{stem}.tsq").write_bytes(query)
            openssl(self.directory, "ts", "-reply", "-config", "tsa.cnf", "-section", "authority",
                    "-queryfile", f"{stem}.tsq", "-out", f"{stem}.tsr")
            self.replies += 1
            return (self.directory / f"{stem}.tsr").read_bytes()

    def start(self):
        authority = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                if self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_error(415, "expected application/timestamp-query")
                    return
                answer = authority.reply(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *arguments):
                pass

        self._server = http.server.HTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self):
        """Closes the port: a request now finds nobody listening, as when the provider is down."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=10)
            self._server = None
