"""Checks: the model checker and exact fidelity checks."""
