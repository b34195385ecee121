"""The Discord layer: the only package that imports discord. It translates, nothing more."""
