"""Outputs besides HTML pages, each a small module: feeds, sitemap, open data, share images.

Each takes an `Edition` (or all of them) and returns `{path: bytes}` for the site map of files.
"""
