"""myDATA invoices (ΑΑΔΕ; seed 004, SPEC §5.1): model, rules, deadlines, fines, the upstream."""
