"""The shared bottom layer: the seams every app plugs into, and nothing about users, gigs, calls or
sanctions. Each module names one seam (docs/architecture.md lists them and who uses which)."""
