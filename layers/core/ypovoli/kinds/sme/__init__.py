"""SME programmes (seeds 001 and 002): the voucher redemption pre-check and the repayable advance,
as evaluated kinds — checked and kept as dossiers, never transmitted."""
