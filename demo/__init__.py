"""Demo and benchmark data: `seed_demo` (the demo scenario, through the services) and
`generate_data` (bulk benchmark data). The top floor: nothing imports `demo`."""
