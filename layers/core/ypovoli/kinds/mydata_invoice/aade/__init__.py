"""myDATA specifics: code lists, the invoice uid, the official XML both ways, XSD validation."""
