"""The catalogue of administrative services, maturity levels, usage and internal processes."""
