// The keys of data subjects, which seal personal data in events (events/personal_data.hpp). Each key is random, made
// when its subject is first sealed, and kept wrapped by the master key (DEBRIEF_MASTER_KEY_FILE) on the compacted
// keys topic (schemas/subject_key.fbs). Forgetting a key is erasure: nothing sealed with it opens again.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "common/result.hpp"
#include "events/ids.hpp"

namespace debrief::events {

using SymmetricKey = std::array<unsigned char, 32>;

// One subject's key as the keys topic stores it, keyed by the subject.
struct SubjectKeyRecord {
    std::string subject;  // "client:<id>", "user:<id>" or "session:<id>"
    OrganizationId organization_id;
    std::uint32_t version = 1;
    std::string nonce;        // of the wrapping
    std::string wrapped_key;  // the key under the master key, the subject as associated data
    std::int64_t created_at_ms = 0;
};

// XChaCha20-Poly1305 with a random 24-byte nonce: sealed = nonce, then ciphertext and tag. Shared by the key
// wrapping and the seals of events.
std::string aead_nonce();
std::string aead_seal(const SymmetricKey& key, std::string_view nonce, std::string_view plaintext, std::string_view associated);
std::size_t aead_sealed_size(std::size_t plaintext_size);  // the plaintext and the tag
void aead_seal_into(const SymmetricKey& key, std::string_view nonce, std::string_view plaintext, std::string_view associated, unsigned char* out);
std::optional<std::string> aead_open(const SymmetricKey& key, std::string_view nonce, std::string_view ciphertext, std::string_view associated);

class MasterKey {
public:
    // 32 bytes, written as 64 hex digits or base64 (surrounding white space ignored), or the raw 32 bytes.
    static Result<MasterKey> from_text(std::string_view text);
    static Result<MasterKey> from_file(const std::string& path);
    SubjectKeyRecord wrap(std::string subject, OrganizationId organization_id, const SymmetricKey& key, std::int64_t now_ms) const;
    Result<SymmetricKey> unwrap(const SubjectKeyRecord& record) const;

private:
    explicit MasterKey(const SymmetricKey& key) : key_(key) {}
    SymmetricKey key_{};
};

class KeyRing {
public:
    explicit KeyRing(MasterKey master);

    struct SealingKey {
        SymmetricKey key{};
        std::uint32_t version = 1;
        // Set until the keys topic holds the key: the caller stores it in the same transaction as what it seals, then
        // calls stored(). Two appends racing for a new subject both carry it (the same bytes), so neither can commit
        // a seal without its key.
        std::optional<SubjectKeyRecord> record_to_store;
    };
    // The subject's key, made now if it has none; refused (409 subject_erased) for a subject erased in this process.
    Result<SealingKey> for_sealing(const OrganizationId& organization_id, const std::string& subject, std::int64_t now_ms);
    void stored(const std::string& subject);
    std::optional<SymmetricKey> for_opening(std::string_view subject, std::uint32_t version) const;

    // A record of the keys topic at start-up (or from another writer); refused when the master key cannot open it.
    Result<bool> load(std::string_view record_value);
    // A tombstone on the keys topic, or an erasure: the subject's seals no longer open, and nothing new is sealed
    // for it (a new key would make what is written after the erasure readable).
    void forget(std::string_view subject);
    std::size_t size() const;

private:
    struct Entry {
        SymmetricKey key{};
        std::uint32_t version = 1;
        std::optional<SubjectKeyRecord> unstored;
    };
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
    };
    MasterKey master_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> keys_;
    std::unordered_set<std::string, Hash, std::equal_to<>> erased_;
};

}  // namespace debrief::events
