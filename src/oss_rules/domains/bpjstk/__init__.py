"""BPJS Ketenagakerjaan (``id-bpjstk``): workers, payroll months, contributions, and the
payroll export."""
