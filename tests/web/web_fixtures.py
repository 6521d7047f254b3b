"""Helpers for the web app tests: a small index with hostile crawled content, three users, and
logged-in TestClients (fixtures built on them are in conftest.py)."""
from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from conftest_helpers import free_port
from waspada.evidence import EvidenceStore
from waspada.index import open_index
from waspada.schema import build_document
from waspada.web import create_app
from waspada.web.users import UserStore

PASSWORD = "rahasia-sekali-123"
SECRET = "t" * 40
#: Payloads that must render inert on every page.
XSS = ['<script>alert("xss-title")</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(2)>',
       "javascript:alert(3)"]
RAW_HTML = b"<html><body><script>alert('evidence')</script>KPU hoaks</body></html>"


def record(n: int, **extra) -> dict:
    base = {"url": f"https://berita.example.id/pemilu/{n}", "source_id": "berita-demo", "source_name": "Berita Demo",
            "platform": "news", "title": f"Hoaks surat suara tercoblos nomor {n}",
            "text": f"KPU membantah kabar surat suara sudah tercoblos di gudang {n}. Bawaslu menyelidiki.",
            "fetched": "2024-02-10T03:00:00+00:00", "published": f"2024-02-{1 + n % 9:02d}T01:00:00+00:00"}
    return {**base, **extra}


def documents(evidence: EvidenceStore) -> list[dict]:
    docs = []
    for n in range(25):
        hoax = n % 2 == 0
        docs.append(build_document(
            record(n, platform="news" if n % 3 else "telegram"), relevance={"terms": ["kpu", "surat suara"],
                                                                          "regions": ["Jawa Barat"] if n % 2 else ["DKI Jakarta"]},
            scores={"hoax": 0.9 if hoax else 0.2, "provocation": 0.1 if hoax else 0.85},
            labels=["hoax"] if hoax else ["provocation"], model_id="waspada-test-1", evidence=None))
    hostile = build_document(
        record(99, url="https://jahat.example.id/x", title=" ".join(XSS) + " KPU",
               text="KPU " + " ".join(XSS) + " </mark><b>tebal</b>", author='<img src=x onerror=alert("author")>'),
        relevance={"terms": ["kpu", XSS[0]], "regions": [XSS[2]]}, scores={"hoax": 0.99, "provocation": 0.1},
        labels=["hoax"], model_id="<script>m</script>",
        evidence=evidence.put(RAW_HTML, {"url": "https://jahat.example.id/x", "fetched": "2024-02-10T03:00:00+00:00"}))
    hostile["url"]["original"] = "javascript:alert('url')"
    hostile["waspada"]["source"]["name"] = XSS[1]
    docs.append(hostile)
    return docs


def open_backend(request, kind: str, tmp_path):
    if kind == "sqlite":
        return open_index("sqlite", path=tmp_path / "index.db")
    url = request.getfixturevalue("es_url")
    return open_index("elasticsearch", url=url, alias=f"waspada-webtest-{uuid.uuid4().hex[:12]}", replicas=0,
                      retry_seconds=30)


def drop(index) -> None:
    if hasattr(index, "client"):  # by name: a server given by WASPADA_TEST_ES_URL may refuse wildcards
        names = list(index.client.indices.get(index=f"{index.alias}-*", allow_no_indices=True).body)
        if names:
            index.client.indices.delete(index=",".join(names))
        index.client.indices.delete_index_template(name=index.alias)
    index.close()


def make_env(index, tmp_path):
    """Load the documents, create analis/penyelia/admin, build the app: (app, index, ids)."""
    evidence = EvidenceStore(tmp_path / "evidence")
    index.ensure()
    docs = documents(evidence)
    assert not index.upsert(docs).failed
    index.refresh()
    users = UserStore(tmp_path / "web.db")
    for name, role in (("analis", "analyst"), ("penyelia", "supervisor"), ("admin", "admin")):
        users.add(name, PASSWORD, role)
    app = create_app(index=index, data_dir=tmp_path, secret=SECRET)
    return app, index, {"hostile": docs[-1]["waspada"]["id"], "first": docs[0]["waspada"]["id"]}


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "page has no CSRF field"
    return found[1]


def login(client: TestClient, name: str, password: str = PASSWORD):
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": name, "password": password, "csrf": token},
                       follow_redirects=False)


def client_for(app, name: str | None) -> TestClient:
    client = TestClient(app)
    if name:
        response = login(client, name)
        assert response.status_code == 303, response.text
    return client


ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def serve_web(tmp_path, **env_extra: str):
    """`waspada web` in a subprocess, as a user runs it, on a free 127.0.0.1 port over a SQLite
    index with the fixture posts: yields (base URL, ids). ``env_extra`` adds WASPADA_* settings."""
    _, index, ids = make_env(open_index("sqlite", path=tmp_path / "waspada.db"), tmp_path)
    index.close()
    port = free_port()
    env = {**os.environ, "WASPADA_DATA_DIR": str(tmp_path), "WASPADA_INDEX_BACKEND": "sqlite",
           "WASPADA_WEB_SECRET": "b" * 48, **env_extra}
    log_path = tmp_path / "web.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "waspada.cli", "web", "--port", str(port)], cwd=ROOT,
                                env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"waspada web did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.2)
            yield base, ids
        finally:
            proc.terminate()
            proc.wait(timeout=10)
