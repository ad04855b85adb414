# Seeds the organization ops/schemathesis tests (sign-up, then a coach, a client, a session with its draft summary, an action
# item, a note and a template) and prints their ids as shell assignments, so that the operations on one record reach
# a real one (ops/schemathesis.toml) instead of answering 404 to every generated id.
import json
import os
import sys
import urllib.request

base = os.environ["ST_DEBRIEF_URL"]


def call(method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read() or b"null")


admin = call("POST", "/v1/signup", {"organization": "Schemathesis", "name": "Ada Admin", "email": os.environ["ST_DEBRIEF_EMAIL"],
                                    "password": os.environ["ST_DEBRIEF_PASSWORD"]})
token = admin["access_token"]
coach = call("POST", "/v1/users", {"name": "Carl Coach", "email": "coach." + os.environ["ST_DEBRIEF_EMAIL"], "role": "coach",
                                   "password": "a coach's password 1"}, token)
client = call("POST", "/v1/clients", {"name": "Grace Hopper", "tags": ["pilot"]}, token)
session = call("POST", "/v1/sessions", {"session_date": "2026-11-20", "transcript": {"format": "plain", "text":
               "Ada Admin: How did the week go?\nGrace Hopper: I closed the supplier deal but I struggle with time management.\n"
               "Ada Admin: Next step: call the supplier by Friday."}, "coach_speaker": "Ada Admin",
                                        "clients": {"Grace Hopper": client["id"]}}, token)
summaries = call("GET", f"/v1/sessions/{session['id']}/summaries?position={session['position']}&wait_ms=10000", token=token)
item = call("POST", "/v1/action-items", {"client_id": client["id"], "title": "Send the QA form", "due_date": "2026-12-01"}, token)
note = call("POST", "/v1/notes", {"client_id": client["id"], "text": "Mentioned a team move"}, token)
template = call("POST", "/v1/templates", {"kind": "email", "name": "Follow-up", "subject": "Our session", "body": "Hello"}, token)
ids = {"ST_USER_ID": coach["id"], "ST_CLIENT_ID": client["id"], "ST_SESSION_ID": session["id"], "ST_SUMMARY_ID": summaries[0]["id"],
       "ST_ACTION_ITEM_ID": item["id"], "ST_NOTE_ID": note["id"], "ST_TEMPLATE_ID": template["id"]}
for name, value in ids.items():
    print(f"export {name}={value}")
