"""Fixtures for the defacement watch tests (imported by name: tests/threats/defacement is on sys.path): the
mock server (official pages on 127.0.0.1) and a watch whose state, evidence, alerts and
investigations live in the test's own data directory."""
from __future__ import annotations

import uuid

import pytest

from tests.mockserver.fixtures import mock_server  # noqa: F401 - re-exported fixture
from tests.mockserver.official_pages import state as page_state
from waspada.threats.defacement.watch import DefacementWatch
from waspada.threats.defacement.watched_pages import watched_page


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Settings pointing every store at tmp_path; no email or webhook unless a test sets one."""
    for name, value in {"DATA_DIR": str(tmp_path), "ALERT_EMAIL_TO": "", "ALERT_WEBHOOK_URL": "", "SMTP_HOST": "",
                        "CRAWL_TIMEOUT": "2", "PAGES_UNREACHABLE_ALERT_AFTER": "3"}.items():
        monkeypatch.setenv(f"WASPADA_{name}", value)
    return tmp_path


@pytest.fixture
def watch(data_dir):
    """A DefacementWatch built from the settings, as the CLI and the DAG build it."""
    opened = DefacementWatch.from_settings()
    yield opened
    opened.close()


@pytest.fixture
def official_page(mock_server):
    """make(serving=...) -> (page, serve): a WatchedPage on the mock server with its own id, and
    serve(what) to change what it serves (a file in sample_data/resmi/, a status, a redirect)."""
    def make(serving="kpu-beranda.html", name="KPU RI - beranda (uji)"):
        page_id = uuid.uuid4().hex[:12]
        pages = page_state(mock_server.httpd)
        pages[page_id] = serving
        page = watched_page(mock_server.url(f"/resmi/halaman?id={page_id}"), name, "KPU")
        return page, lambda what: pages.__setitem__(page_id, what)
    return make


def self_signed_cert(folder) -> tuple[str, str]:
    """(certificate, key) PEM files for 127.0.0.1, valid for a day: the test's own tiny CA."""
    import ipaddress
    from datetime import datetime, timedelta, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "mock-cert.pem", folder / "mock-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@pytest.fixture
def https_mock_server(tmp_path, monkeypatch):
    """A second mock server speaking HTTPS with a self-signed certificate that this test (and only
    this test: SSL_CERT_FILE) trusts, as the official sites' real certificates are trusted."""
    import ssl

    from tests.mockserver.server import MockServer

    cert, key = self_signed_cert(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", cert)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = MockServer()
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    server.base_url = server.httpd.base_url = server.base_url.replace("http://", "https://")
    with server:
        yield server
