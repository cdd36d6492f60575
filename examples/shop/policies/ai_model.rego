package kubernetes.admission.ai_policy
deny[msg] {
input.request.kind.kind == "Deployment"
input.request.object.metadata.labels.app == "ai-model-inference"
not input.request.object.metadata.annotations["ai.apexlogic.com/model-id"]
msg := "AI model deployments must include 'ai.apexlogic.com/model-id' annotation for traceability."
}
