// `debrief rebuild postgres|search --url URL --token TOKEN`: starts a rebuild of a read model in a running Debrief (POST
// /v1/admin/rebuilds) and follows it until it is done or failed: a progress bar on a terminal, one JSON status a
// second otherwise. The rebuild runs inside the server, so its switch is the server's (blue/green); the command only
// drives and shows it. Exit status 0 when the rebuild is done, 1 when it failed, 2 for a usage error.
#pragma once

#include <string>
#include <vector>

namespace debrief::app {

int rebuild_command(const std::vector<std::string>& arguments);

}  // namespace debrief::app
