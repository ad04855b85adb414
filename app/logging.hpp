// Process-wide logging set-up: JSON lines on stderr.
#pragma once

#include <string>

namespace debrief::app {
void configure_logging(const std::string& level);
}
