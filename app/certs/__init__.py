"""Certificate analysis for connector relay: plain Python, no Flask."""
