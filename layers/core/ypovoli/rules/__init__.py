"""Pure validation rules: data in, ``list[Finding]`` out. No I/O. One module per domain."""
