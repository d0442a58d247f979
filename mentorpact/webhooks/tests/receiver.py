"""A webhook receiver on 127.0.0.1 for the tests: it keeps every request it gets (headers,
raw body) and answers each with the next status of `answers` (200 once they run out).

With `tls_name` it speaks HTTPS under a self-signed certificate for that name and keeps
the server name each client asked for (SNI): a test resolves the name to 127.0.0.1 and
trusts the certificate (`trust()`), as the sender would a real receiver's."""

import datetime
import ssl
import tempfile
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    path: str = "/"


def self_signed(name: str, folder: Path) -> tuple[Path, Path]:
    """A key and a certificate for `name` (its own issuer), as PEM files in `folder`."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / "key.pem", folder / "cert.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


@dataclass
class Receiver:
    answers: deque[int] = field(default_factory=deque)
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    tls_name: str = ""
    server_names: list[str | None] = field(default_factory=list)  # SNI, with tls_name
    redirect_to: str = ""  # the Location of a 3xx answer
    certificate: Path | None = None

    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.server_port

    @property
    def url(self) -> str:
        if self.tls_name:
            return f"https://{self.tls_name}:{self.port}/hooks"
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", "0"))
                got = Received(dict(self.headers), self.rfile.read(length), self.path)
                receiver.received.append(got)
                status = receiver.answers.popleft() if receiver.answers else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.redirect_to or "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if self.tls_name:
            folder = Path(tempfile.mkdtemp(prefix="mentorpact-receiver-"))
            key, self.certificate = self_signed(self.tls_name, folder)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.certificate, key)

            def keep_name(_socket: ssl.SSLObject, name: str, _context: ssl.SSLContext) -> None:
                receiver.server_names.append(name)

            context.sni_callback = keep_name
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def trust(self) -> ssl.SSLContext:
        """A client context that trusts this receiver's certificate only."""
        assert self.certificate is not None
        return ssl.create_default_context(cafile=str(self.certificate))

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
