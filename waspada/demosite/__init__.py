"""The bundled demo site: fictional Indonesian news portals and a fact-check site on 127.0.0.1.

``make run`` and the tests crawl it instead of the live web::

    from waspada import demosite
    server, base_url = demosite.serve()
    demosite.write_sources(base_url, "var/demo-sources.yaml")
    ...
    server.shutdown()
"""
from waspada.demosite.server import serve
from waspada.demosite.sources_file import write_sources

__all__ = ["serve", "write_sources"]
