"""gongshi (公示): a static site generator for public progress reports on 民生实事."""

__version__ = "0.1.0"
