// `debrief export --organization ID [--from T] [--to T] [--type PATTERN] [--format jsonl|csv] [--output FILE]
// [--url URL] --token TOKEN`: streams an organization's events from a running Debrief (GET /v1/admin/export) to a
// file or standard output, one event per line. Exit status 0 when the export is whole, 1 when it failed or was cut
// short, 2 for a usage error.
#pragma once

#include <string>
#include <vector>

namespace debrief::app {

int export_command(const std::vector<std::string>& arguments);

}  // namespace debrief::app
