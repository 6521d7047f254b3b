"""The scale check (GitHub issue #22): the production topology started for real on 127.0.0.1,
loaded, broken on purpose and verified. Tooling, like bench/: not part of the installed package.

    python -m scale.check --posts 20000

Modules: ``processes`` (start, wait for and stop what we start), ``services`` (Redis, PostgreSQL),
``cluster`` (a multi-node Elasticsearch from the test suite's distribution), ``load`` (posts to
index and the id count that proves nothing was lost or doubled), ``check`` (the whole run).
"""
