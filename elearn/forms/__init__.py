"""Forms organisers build: registration questions and evaluation surveys share this engine."""
