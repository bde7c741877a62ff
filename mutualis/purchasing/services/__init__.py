"""Writes of grouped purchasing, one module per step of a campaign."""
