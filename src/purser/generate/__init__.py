"""Intent → typed spec → blueprint → rendered IaC → gate → branch with provenance.

    from purser.generate import generate, parse_intent
    result = generate("HTTP API ... at most $200 a month", repo=Path("."), read=parse_intent)
    result.spec, result.decisions, result.files, result.fit, result.report, result.branch
"""

from purser.generate.parse import PARSER_NAME, Refused, parse_intent
from purser.generate.pipeline import GENERATOR, Generation, GenerationRefused, generate

__all__ = ["GENERATOR", "PARSER_NAME", "Generation", "GenerationRefused", "Refused", "generate",
           "parse_intent"]
