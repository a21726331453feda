"""Incremental builds: what the last build made (`manifest`) and which files must be made again (`plan`)."""
