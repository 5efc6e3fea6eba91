"""Tooling the docs pages import at build time; left out of the built site."""
