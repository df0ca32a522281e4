"""Repository-side tools: exercise files, evaluation, benchmark, scaffolding.

They serve the command line and the build; the browser never needs them, so
they stay out of the runtime wheel (``pyproject.toml`` packages ``checker``
only) and keep it small.
"""
