"""Code that needs no Django at all."""
