"""One pool of blockers (堵点痛点) from every source, owned and tracked until solved."""
