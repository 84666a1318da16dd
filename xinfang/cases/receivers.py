"""Signal receivers of the cases app (connected in CasesConfig.ready)."""
