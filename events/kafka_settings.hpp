// Where the event log lives: brokers, topic names and how new topics are created.
#pragma once

#include <cstddef>
#include <map>
#include <string>

namespace debrief::events {

// The largest record (key, value and headers) the writer hands to Kafka. The limits are set together: the
// producer's message.max.bytes is this plus batch framing, the topics Debrief creates take batches up to
// topic_max_message_bytes (Kafka's own default, made explicit), and the transcript caps
// (commands/transcript/transcript.hpp) keep every event of a parse under it. A larger event fails only its own
// command, with 413 event_too_large.
inline constexpr std::size_t default_max_event_bytes = 1'000'000;
inline constexpr std::size_t record_framing_bytes = 1024;            // batch and record headers around one record
inline constexpr std::size_t topic_max_message_bytes = 1'048'588;  // Kafka's default max.message.bytes

// How every librdkafka client of Debrief (the writer, the projectors' consumers, the readers, the watermark and
// readiness queries, the dead-letter publisher) connects and logs in to the brokers. Checked by the option table
// (app/config.cpp): a SASL protocol has a username and a password, and credentials are never set where they
// would not be sent.
struct KafkaSecurity {
    std::string protocol = "plaintext";  // librdkafka's security.protocol: plaintext, ssl, sasl_plaintext or sasl_ssl
    std::string sasl_mechanism = "PLAIN";  // PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
    std::string sasl_username;
    std::string sasl_password;
    std::string ssl_ca_location;  // PEM file of the authorities that sign the brokers' certificates; empty: the system's

    bool sasl() const { return protocol == "sasl_plaintext" || protocol == "sasl_ssl"; }
    bool tls() const { return protocol == "ssl" || protocol == "sasl_ssl"; }
    // The librdkafka properties these settings stand for.
    std::map<std::string, std::string> properties() const {
        std::map<std::string, std::string> out{{"security.protocol", protocol}};
        if (sasl()) {
            out["sasl.mechanisms"] = sasl_mechanism;
            out["sasl.username"] = sasl_username;
            out["sasl.password"] = sasl_password;
        }
        if (tls() && !ssl_ca_location.empty()) out["ssl.ca.location"] = ssl_ca_location;
        return out;
    }
};

struct KafkaSettings {
    std::string brokers = "127.0.0.1:19092";
    KafkaSecurity security;
    std::string events_topic = "debrief.events";            // public contract: docs/events.md
    std::string credentials_topic = "debrief.credentials";  // private, compacted
    std::string keys_topic = "debrief.keys";                // private, compacted: data subjects' keys (events/keyring.hpp)
    std::string audit_topic = "debrief.audit";              // private: every read of private material (events/audit_record.hpp)
    // How long the audit topic (and the audit read model) keeps a record: 7 years (2557 days), the seed's HIPAA
    // retention, by default.
    std::int64_t audit_retention_days = 2557;
    int partitions = 6;
    int replication_factor = 1;
    // The writer's transactional id: a second process with the same id fences the first (only one writer at a time).
    std::string transactional_id = "debrief-writer";
    int transaction_timeout_ms = 30'000;
    // The writer's compression.type. None by default: events are small (a note is about 400 bytes), and on a
    // co-located broker compressing every transaction's batches (which the broker decompresses to validate, and
    // every consumer again) cost a fifth of the machine's CPU per command in bench/write_path. lz4 or zstd pay
    // where the network or the disk costs more than CPU (large transcripts, remote brokers).
    std::string compression = "none";  // bounds a commit, and so how long a command waits for a broken broker
    std::map<std::string, std::string> overrides;  // extra librdkafka properties, e.g. for tests
    std::size_t max_event_bytes = default_max_event_bytes;  // see default_max_event_bytes; tests lower it
    // Bounds of the appends waiting for (or in) a transaction: beyond either, a command is refused at once with
    // 503 overloaded and Retry-After, so a burst costs bounded memory and never a growing wait.
    std::size_t max_queued_appends = 10'000;
    std::size_t max_queued_bytes = 64 * 1024 * 1024;

    // Events a read model could not apply, set aside with where they came from: "debrief.events.dlq" by default.
    std::string dead_letter_topic() const { return events_topic + ".dlq"; }
};

}  // namespace debrief::events
