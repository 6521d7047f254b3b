"""Engagement refresh: re-read the likes, shares, replies and views of recently flagged social
posts (refresh.py, through ``scrapy crawl engagement``) and ``waspada engagement refresh``
(commands.py)."""
