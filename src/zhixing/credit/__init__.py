"""Credit punishment: dishonest-debtor list, consumption and exit restrictions, screening, exposure."""
