"""Readers of the real files: each finds a dataset's files under a data directory and reads them into a Split
(variant "real"), refusing malformed files with a message that names the file and what was expected."""
