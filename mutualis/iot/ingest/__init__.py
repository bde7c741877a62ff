"""Pure ingestion: what network servers send, read without Django (typed, tested alone)."""
