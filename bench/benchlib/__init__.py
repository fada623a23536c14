# SPDX-License-Identifier: MIT
"""flametui's benchmark sections (bench/bench.py runs them): one module per section, the
process and sysctl handling they share (procs), and the report with its table of targets."""
