"""Routes, one module per area. Every route except /login, /healthz and /static needs a session
(tests/web/test_access.py walks ``app.routes`` so a new route cannot forget)."""
