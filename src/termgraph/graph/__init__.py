"""Build-time graph work: files, loading, derived graphs, SHACL gate, quote check, release files."""
