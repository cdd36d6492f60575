"""Sends order notifications queued by the orders service."""

import json
import os


def handler(event, context):
    for record in event.get("Records", []):
        order = json.loads(record["body"])
        print(json.dumps({"notify": order.get("id"), "table": os.environ["SENT_TABLE"]}))
    return {"sent": len(event.get("Records", []))}
