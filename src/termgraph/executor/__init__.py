"""The executor: runs a query the sparql layer has read, on a worker (a forked process or a slot on a remote store), within its limits."""
