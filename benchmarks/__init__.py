"""Benchmarks: each compares Fupin with a baseline in the same run and prints the ratio.

Run with ``make bench`` (all of them, on SQLite and, when it answers, PostgreSQL)."""
