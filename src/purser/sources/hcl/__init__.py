"""Static evaluation of HCL for the Terraform reader.

parse (tree-sitter CST → plain-tuple AST) → evaluate (expressions, with `functions`) →
module (variables, locals, outputs, module calls) → body/resources (blocks → attributes,
count/for_each instances). `values` holds what an expression evaluates to.
"""
