env          = "prod"
team         = "payments"
cost_center  = "cc-1042"
jwt_issuer   = "https://auth.shop.example.com/"
jwt_audience = "payments-api"

admin_ingress = [
  { description = "HTTPS from the office", port = 443, cidr = "203.0.113.0/24" },
  # Deliberate violation: SSH open to the world.
  { description = "SSH for on-call", port = 22, cidr = "0.0.0.0/0" },
]
