"""The reference sources of the assignments (each with its solution blocks marked); not imported."""
