"""Use cases, one module per job: each opens a unit of work, checks rules, calls the domain, writes entries."""
