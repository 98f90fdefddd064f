"""Issue lists and one writer per output format."""
