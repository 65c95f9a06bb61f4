"""The exchange between networks: the datasets this site publishes for partners, and its data catalogue."""
