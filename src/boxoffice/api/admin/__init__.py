"""The native admin API, mounted at /admin/v1 (see app.py)."""
