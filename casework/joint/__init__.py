"""Joint reviews across partnerships (DESIGN §3, the first of the two doors).

The review itself lives in the lead partnership's schema; this app, in the public schema, holds
the grant that names who takes part and what each may do. ``door.py`` is the one module that
reaches another partnership's schema.
"""
