"""Demo and benchmark data: phrase lists and the bulk generator behind `generate_data`."""
