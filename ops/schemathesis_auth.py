# Schemathesis hook (ops/schemathesis): every request carries a valid access token of the run's admin, logged in
# afresh when the cached one is refused (an operation under test may revoke the admin's own sessions: /users/me/...).
import json
import os
import urllib.request

import schemathesis


@schemathesis.auth(refresh_interval=600)  # access tokens live 900 s; a 401 refreshes sooner
class AdminLogin:
    def get(self, case, context):
        body = json.dumps({"email": os.environ["ST_DEBRIEF_EMAIL"], "password": os.environ["ST_DEBRIEF_PASSWORD"]}).encode()
        request = urllib.request.Request(os.environ["ST_DEBRIEF_URL"] + "/v1/auth/login", data=body,
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())["access_token"]

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
