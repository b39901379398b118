"""Benchmarks: ``python -m bench [updates|fanout|data|all]`` (``make bench``).

Results are JSON lines, one object per figure (group, name, value, unit, target, met, notes).
Benchmarks are never part of ``make test`` and never fail on a number: the exit status is 0 unless
the harness itself breaks. See README.md "Benchmarks" for the latest figures.
"""
