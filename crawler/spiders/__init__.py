"""Scrapy spiders: one spider reads every source kind (`claimline.kinds`)."""
