// What Debrief's librdkafka clients report as errors: logged as JSON lines, and the brokers' refusal of Debrief's
// credentials remembered, so that a start that cannot reach Kafka can say that no retry will help.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <optional>
#include <string>

namespace debrief::events {

// Makes the clients built from this configuration report their errors here (kafka_config does it for every client).
void report_client_errors(RdKafka::Conf& config);

// The latest refusal of Debrief's credentials (a SASL authentication failure) reported at or after `since`, with
// librdkafka's words for it; nothing when there was none. Remembered for the whole process: librdkafka's error
// callback names only the client handle.
std::optional<std::string> authentication_failure_since(std::chrono::steady_clock::time_point since);

}  // namespace debrief::events
