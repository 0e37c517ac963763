"""One small form per wizard step."""
