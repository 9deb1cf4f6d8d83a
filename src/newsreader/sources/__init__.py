"""The pluggable source layer: retrievers that turn a configured feed into Feeds."""
