"""spaCy pipeline and components for who said what, when, about whom."""
