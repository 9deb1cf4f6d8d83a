"""The headless commands' front ends: each module runs one command of SPEC, prints
what the user sees and returns the exit code. The work itself happens in the core
(refresh, store, formats, opml); nothing here is imported by the core."""
