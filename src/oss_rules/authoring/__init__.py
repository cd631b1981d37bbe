"""Tools for ruleset authors: static checks (:mod:`.check`), the formatter (:mod:`.fmt`),
test cases with coverage (:mod:`.testing`) and why-not explanations."""
