"""Background jobs, named noun.verb: holds.expire, event_log.prune."""
