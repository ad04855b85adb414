// librdkafka's error callback, for every client Debrief creates: a JSON log line per error, and the latest SASL
// authentication failure kept with its time.
#include "events/kafka_client_errors.hpp"

#include <librdkafka/rdkafka.h>

#include <mutex>

#include "common/json_log.hpp"

namespace debrief::events {
namespace {

struct AuthenticationFailure {
    std::mutex mutex;
    std::optional<std::chrono::steady_clock::time_point> at;
    std::string reason;
};

AuthenticationFailure& latest_failure() {
    static AuthenticationFailure failure;
    return failure;
}

// Called on the thread that polls the client (librdkafka's reasons name brokers and states, never credentials).
void on_client_error(rd_kafka_t*, int code, const char* reason, void*) {
    const auto err = static_cast<rd_kafka_resp_err_t>(code);
    const std::string text = reason ? reason : "";
    if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION || err == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED) {
        auto& failure = latest_failure();
        std::lock_guard lock(failure.mutex);
        failure.at = std::chrono::steady_clock::now();
        failure.reason = text;
    }
    log_warn("kafka_client_error", {{"code", rd_kafka_err2name(err)}, {"error", text}});
}

}  // namespace

void report_client_errors(RdKafka::Conf& config) { rd_kafka_conf_set_error_cb(config.c_ptr_global(), on_client_error); }

std::optional<std::string> authentication_failure_since(std::chrono::steady_clock::time_point since) {
    auto& failure = latest_failure();
    std::lock_guard lock(failure.mutex);
    if (!failure.at || *failure.at < since) return std::nullopt;
    return failure.reason;
}

}  // namespace debrief::events
