"""The Textual reader. Its key table lives in :mod:`newsreader.keymap`, outside this
package, so the core can read it without importing the UI."""
