"""Arabic to English news translation and cited multi-source briefs."""

__version__ = "0.1.0"
