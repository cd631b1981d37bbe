"""Property-based verification of rulesets: hypothesis strategies for valid and invalid
facts (:mod:`.strategies`), ready-made properties (:mod:`.properties`), the declared
``properties:`` of a ruleset with counterexample reduction, and the naive oracle
(:mod:`.oracle`) the differential tests hold the engine to.

The modules that need hypothesis import it themselves, so ``import oss_rules`` does not.
"""
