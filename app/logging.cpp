// spdlog as JSON lines: {"time","level", ...fields}; messages are already JSON fields (common/json_log.hpp).
#include "app/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace debrief::app {

void configure_logging(const std::string& level) {
    auto logger = spdlog::stderr_logger_mt("debrief");
    logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
    logger->set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
}

}  // namespace debrief::app
