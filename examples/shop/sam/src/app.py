"""Orders handler (placeholder: the example is about infrastructure, not code)."""

import json
import os


def handler(event, context):
    order = json.loads(event.get("body") or "{}")
    return {"statusCode": 202, "body": json.dumps({"queued": bool(order),
                                                   "queue": os.environ.get("QUEUE_URL")})}
