# The shop's own FinOps rule, in Rego v1 over one purser resource:
# input = {address, type, attrs, tags, annotations, region, source, ...}.
package purser.finops

import rego.v1

# Lambda sizes at or above 3008 MB need a recorded reason.
deny contains msg if {
	input.type == "aws_lambda_function"
	input.attrs.memory_size >= 3008
	not input.tags["purser.dev/justification"]
	msg := sprintf("%v MB of Lambda memory needs a purser.dev/justification tag", [input.attrs.memory_size])
}
