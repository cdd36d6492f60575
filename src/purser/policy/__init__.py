"""The policy gate: rule registry, built-in packs, user Rego, Checkov adapter, waivers."""
