"""MS stem-cell community bot: cited FAQ, research digests, and human moderation."""

__version__ = "0.1.0"
