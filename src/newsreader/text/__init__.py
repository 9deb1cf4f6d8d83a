"""Text policies as pure ``str -> str`` functions: one home for each.

``sanitise`` (control characters, the render guard), ``links`` (which link schemes are
allowed where), ``dates`` (parsing and the one display), ``markdown`` (escaping),
``html`` (HTML -> Markdown and plain text) and ``xmlsafe`` (the one XML parser).
These modules use only the standard library and parsers: no UI, store or config.
"""
