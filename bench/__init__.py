"""Benchmarks: `make bench` runs every `bench_*.py` module here and writes docs/benchmarks.md.

Speed and memory goals live here, not in the tests: a timed test fails on a busy machine and
proves nothing on a fast one.
"""
