"""Network asset inquiry and control: requests to partner institutions, the asset register, controls."""
