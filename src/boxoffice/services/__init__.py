"""Use cases. Each one opens a unit of work, does its work through repositories and commits once."""
