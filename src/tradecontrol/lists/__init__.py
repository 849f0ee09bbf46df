"""Loaders for official list formats (the only package that reads list files)."""
