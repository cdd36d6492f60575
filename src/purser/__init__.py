"""purser: an AI-driven FinOps GitOps control plane for serverless and Kubernetes."""

__version__ = "0.1.0"
