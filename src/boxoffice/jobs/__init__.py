"""Background jobs, named noun.verb: holds.expire."""
