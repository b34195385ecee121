"""Fixtures for the fake's own tests (a root conftest may import the same ones)."""

from .fixtures import *  # noqa: F403
