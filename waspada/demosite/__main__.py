"""Serve the demo site until Ctrl-C: ``python -m waspada.demosite [--port N] [--sources PATH]``."""
from __future__ import annotations

import argparse
import time

from waspada import config
from waspada.demosite import serve, write_sources


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve Waspada's fictional Indonesian news portals on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=config.get("DEMO_PORT"), help="port (0 picks a free one; setting DEMO_PORT)")
    parser.add_argument("--sources", default=str(config.get("DATA_DIR") / "demo-sources.yaml"),
                        help="where to write a sources.yaml pointing at the site")
    args = parser.parse_args(argv)
    server, base_url = serve(port=args.port)
    path = write_sources(base_url, args.sources)
    print(f"Demo site at {base_url}/ ; sources file {path}\n"
          f"Crawl it: WASPADA_CRAWL_POLITE=false SCRAPY_SETTINGS_MODULE=crawlers.settings "
          f"python -m scrapy crawl feed -a sources={path} -a group=demo", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
