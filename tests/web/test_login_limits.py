"""The login limiter's bounds (per name, per address, memory) and the trusted-proxy setting that
decides which address it sees, the latter against `waspada web` served by uvicorn."""
from __future__ import annotations

import httpx
import pytest

from waspada import config
from waspada.web import auth
from waspada.web.auth import LoginLimiter
from waspada.web.users import UserStore
from web_fixtures import csrf_of, serve_web


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(auth.time, "monotonic", fake)
    return fake


def test_one_address_cannot_spray_many_names(clock):
    limiter = LoginLimiter(max_failures=3, window=60, max_per_ip=5)
    for name in ("a", "b", "c", "d", "e"):
        assert limiter.retry_after("198.51.100.9", name) == 0
        limiter.failed("198.51.100.9", name)
    assert limiter.retry_after("198.51.100.9", "f") > 0  # a sixth, fresh name is refused too
    assert limiter.retry_after("198.51.100.10", "f") == 0  # another address is not
    clock.now += 61
    assert limiter.retry_after("198.51.100.9", "f") == 0


def test_a_successful_login_does_not_reset_the_address_count(clock):
    limiter = LoginLimiter(max_failures=3, window=60, max_per_ip=4)
    for name in ("a", "b", "c", "d"):
        limiter.failed("198.51.100.9", name)
    limiter.succeeded("198.51.100.9", "a")
    assert limiter.retry_after("198.51.100.9", "a") > 0


def test_made_up_names_do_not_grow_the_table_forever(clock):
    limiter = LoginLimiter(max_failures=5, window=60, max_per_ip=10**9)
    for i in range(3000):
        limiter.retry_after("198.51.100.9", f"name-{i}")  # asking creates nothing
    assert limiter.tracked() == 0
    for i in range(3000):
        limiter.failed("198.51.100.9", f"name-{i}")
    clock.now += 61
    for i in range(3000):
        limiter.failed("198.51.100.10", f"other-{i}")
    # the first 3,000 aged out and were swept when the table passed its sweep size
    assert limiter.tracked() <= 3000 + 1024


def test_a_giant_user_name_is_cut_to_a_small_key(clock):
    limiter = LoginLimiter(max_failures=1, window=60)
    limiter.failed("198.51.100.9", "x" * 1_000_000)
    assert limiter.retry_after("198.51.100.9", "x" * 1_000_000) > 0
    assert max(len(name) for _, name in limiter._failures) <= 65


def test_trusted_proxies_must_be_addresses(monkeypatch):
    monkeypatch.setenv("WASPADA_WEB_TRUSTED_PROXIES", "10.0.0.5, 172.16.0.0/12,::1")
    assert config.get("WEB_TRUSTED_PROXIES") == ("10.0.0.5", "172.16.0.0/12", "::1")
    monkeypatch.setenv("WASPADA_WEB_TRUSTED_PROXIES", "10.0.0.5,proxy.local")
    with pytest.raises(config.SettingError, match="'proxy.local' is not an IP address"):
        config.get("WEB_TRUSTED_PROXIES")
    monkeypatch.delenv("WASPADA_WEB_TRUSTED_PROXIES")
    assert config.get("WEB_TRUSTED_PROXIES") == ()


def _fail_login(base: str, forwarded_for: str) -> int:
    with httpx.Client(base_url=base, timeout=10) as client:
        token = csrf_of(client.get("/login").text)
        return client.post("/login", data={"username": "analis", "password": "salah-sekali-ini", "csrf": token},
                           headers={"X-Forwarded-For": forwarded_for}).status_code


@pytest.mark.slow
@pytest.mark.parametrize("trusted,expected_ip", [("127.0.0.1", "203.0.113.7"), ("", "127.0.0.1")])
def test_forwarded_address_is_used_only_from_a_trusted_proxy(tmp_path, trusted, expected_ip):
    """Through a proxy at 127.0.0.1, the audit log and the limiter see the forwarded client; with
    no proxy trusted, a client's own X-Forwarded-For is ignored and cannot dodge the limit."""
    with serve_web(tmp_path, WASPADA_WEB_TRUSTED_PROXIES=trusted, WASPADA_WEB_LOGIN_MAX_FAILURES="2") as (base, _):
        assert _fail_login(base, "203.0.113.7") == 401
        assert _fail_login(base, "203.0.113.8") == 401
        # third try: a trusted proxy's clients are counted apart (so 203.0.113.7 has one failure
        # left); without one, both tries came from 127.0.0.1 and the name is now locked
        assert _fail_login(base, "203.0.113.7") == (401 if trusted else 429)
    ips = {entry["ip"] for entry in UserStore(tmp_path / "web.db").audit_entries(action="login.failed")}
    assert expected_ip in ips and (("203.0.113.8" in ips) == bool(trusted))
