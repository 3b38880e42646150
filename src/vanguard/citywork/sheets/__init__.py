"""The weekly work's workbooks: read through ``exchange``, written print-ready."""
