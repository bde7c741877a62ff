"""Writes of billing, by concern: tariffs, runs, simulation, invoices (and their PDF, exports)."""
