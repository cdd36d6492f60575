"""Insight: what the bill and the telemetry say, turned into forecasts, anomalies with
their root causes and the commits behind them, and (later) rightsizing and canary
verdicts. Each analysis is one module; each reads the warehouse's tables and explains
every number it gives (model, window, evidence)."""
