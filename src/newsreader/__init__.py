"""newsreader: a terminal news reader. Importing the package loads nothing heavy."""

__version__ = "0.1.0"
