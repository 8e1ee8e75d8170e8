"""ΠΣΚΕ payment-request dossiers (Αίτημα Ελέγχου; seed 003, SPEC §5.4): model, history, rules."""
