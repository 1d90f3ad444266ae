"""Bringing articles in: saved web pages and exports, checked, deduplicated and stored."""
