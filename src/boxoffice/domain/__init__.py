"""The domain core: objects, statuses and their legal moves, holds, channels, charts.

Plain Python. No web framework, no SQL. Time comes in as an argument (`now`).
"""
