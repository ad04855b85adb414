// librdkafka configuration built from KafkaSettings plus role-specific properties, in one place.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <map>
#include <memory>
#include <string>

#include "events/kafka_client_errors.hpp"
#include "events/kafka_settings.hpp"

namespace debrief::events {

// Returns null and fills problem when a property is rejected. Settings' overrides win over role defaults, which win
// over the connection and login (settings.security), so that every client of Debrief logs in the same way.
inline std::unique_ptr<RdKafka::Conf> kafka_config(const KafkaSettings& settings, const std::map<std::string, std::string>& role_properties,
                                                   std::string& problem) {
    std::unique_ptr<RdKafka::Conf> config(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    std::map<std::string, std::string> properties = settings.security.properties();
    properties["bootstrap.servers"] = settings.brokers;
    properties["client.id"] = "debrief";
    for (const auto& [k, v] : role_properties) properties[k] = v;
    for (const auto& [k, v] : settings.overrides) properties[k] = v;
    for (const auto& [k, v] : properties)
        if (config->set(k, v, problem) != RdKafka::Conf::CONF_OK) {
            problem = k + ": " + problem;
            return nullptr;
        }
    report_client_errors(*config);
    return config;
}

}  // namespace debrief::events
