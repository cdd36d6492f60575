"""Built-in rule packs; importing a pack module registers its rules."""
