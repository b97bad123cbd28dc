"""Statements: pure functions of the posted books (see docs/DESIGN.md)."""
