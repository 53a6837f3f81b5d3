"""Benchmarks of the marketplace at realistic size (docs/performance.md). Not part of the test
suite: they need a generated database (`python -m bench.generate`) and take minutes."""
