"""Several articles on one story: canonical entities, aligned claims, discrepancies, origins."""
