// How the benchmarks' own Kafka clients log in: as `debrief serve` would with the same environment
// (DEBRIEF_KAFKA_SECURITY_PROTOCOL, DEBRIEF_KAFKA_SASL_*; bench/write_path and bench/startup set them for the local
// broker), read and checked by Debrief's own option table.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/config.hpp"
#include "events/kafka_settings.hpp"

namespace debrief::bench {

inline events::KafkaSecurity kafka_login() {
    auto config = app::load_config({}, [](const std::string& name) -> std::optional<std::string> {
        // Required by the table, unused by a benchmark's Kafka client.
        if (name == "DEBRIEF_JWT_SECRET") return std::string(32, 'x');
        if (name == "DEBRIEF_MASTER_KEY_FILE") return std::string("/dev/null");
        return app::process_environment(name);
    });
    if (!config) {
        std::fprintf(stderr, "bench: %s\n", config.error().message.c_str());
        std::exit(2);
    }
    return config->kafka.security;
}

}  // namespace debrief::bench
