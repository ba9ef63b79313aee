"""boxoffice: one live ticket inventory, sold through every channel at once, never a seat twice."""

__version__ = "0.1.0"
