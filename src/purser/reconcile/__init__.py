"""Make the live cloud follow git: plan, journaled idempotent apply, drift, self-heal,
prune of owned resources only, rollback by revert, and controllers that share the work.

`desired` reads what a revision declares, an applier (`appliers/`) reads and writes what
is live, `plan` compares the two field by field, `apply` carries a plan out in dependency
order with every write journaled, and `sync` ties them to the gate, the lease and the
ledger. `drift`, `rollback` and `controller` are built on `sync`.
"""
