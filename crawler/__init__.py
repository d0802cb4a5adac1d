"""The Scrapy project that fetches sources into the `documents` table."""
