"""Mutualis: the platform of public operators of pooled digital services (OPSN)."""
