"""The demo and scale-data generators: the one app that may import every other."""
