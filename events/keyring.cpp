#include "events/keyring.hpp"

#include <sodium.h>

#include <fstream>
#include <iterator>
#include <mutex>

#include "events/codec.hpp"

namespace debrief::events {
namespace {

bool sodium_ready() {
    static const bool ready = sodium_init() >= 0;
    return ready;
}

const unsigned char* bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

SymmetricKey random_key() {
    SymmetricKey key;
    crypto_aead_xchacha20poly1305_ietf_keygen(key.data());
    return key;
}

}  // namespace

std::string aead_nonce() {
    sodium_ready();
    std::string nonce(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, '\0');
    randombytes_buf(nonce.data(), nonce.size());
    return nonce;
}

std::size_t aead_sealed_size(std::size_t plaintext_size) { return plaintext_size + crypto_aead_xchacha20poly1305_ietf_ABYTES; }

void aead_seal_into(const SymmetricKey& key, std::string_view nonce, std::string_view plaintext, std::string_view associated, unsigned char* out) {
    crypto_aead_xchacha20poly1305_ietf_encrypt(out, nullptr, bytes(plaintext), plaintext.size(), bytes(associated), associated.size(), nullptr,
                                               bytes(nonce), key.data());
}

std::string aead_seal(const SymmetricKey& key, std::string_view nonce, std::string_view plaintext, std::string_view associated) {
    std::string out(aead_sealed_size(plaintext.size()), '\0');
    aead_seal_into(key, nonce, plaintext, associated, reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

std::optional<std::string> aead_open(const SymmetricKey& key, std::string_view nonce, std::string_view ciphertext, std::string_view associated) {
    if (nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES || ciphertext.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return std::nullopt;
    std::string out(ciphertext.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    unsigned long long length = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), &length, nullptr, bytes(ciphertext),
                                                   ciphertext.size(), bytes(associated), associated.size(), bytes(nonce), key.data()) != 0)
        return std::nullopt;
    out.resize(length);
    return out;
}

Result<MasterKey> MasterKey::from_text(std::string_view text) {
    if (!sodium_ready()) return Error{ErrorKind::internal, "sodium_init", "libsodium failed to initialise"};
    SymmetricKey key{};
    std::size_t length = 0;
    if (text.size() == key.size()) {  // raw bytes, e.g. from head -c 32 /dev/urandom
        std::copy(text.begin(), text.end(), key.begin());
        return MasterKey(key);
    }
    const auto written = trimmed(text);
    const char* end = nullptr;
    if (written.size() == 2 * key.size() &&
        sodium_hex2bin(key.data(), key.size(), written.data(), written.size(), nullptr, &length, &end) == 0 && length == key.size())
        return MasterKey(key);
    if (sodium_base642bin(key.data(), key.size(), written.data(), written.size(), nullptr, &length, &end, sodium_base64_VARIANT_ORIGINAL) == 0 &&
        length == key.size() && end == written.data() + written.size())
        return MasterKey(key);
    return Error{ErrorKind::invalid, "invalid_config", "the master key must be 32 bytes: 64 hex digits, base64, or the raw bytes"};
}

Result<MasterKey> MasterKey::from_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{ErrorKind::invalid, "invalid_config", "cannot read the master key file " + path};
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto key = from_text(text);
    if (!key) return Error{ErrorKind::invalid, "invalid_config", key.error().message + " (" + path + ")"};
    return key;
}

SubjectKeyRecord MasterKey::wrap(std::string subject, OrganizationId organization_id, const SymmetricKey& key, std::int64_t now_ms) const {
    SubjectKeyRecord record{std::move(subject), std::move(organization_id), 1, aead_nonce(), {}, now_ms};
    record.wrapped_key = aead_seal(key_, record.nonce, std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), record.subject);
    return record;
}

Result<SymmetricKey> MasterKey::unwrap(const SubjectKeyRecord& record) const {
    auto opened = aead_open(key_, record.nonce, record.wrapped_key, record.subject);
    SymmetricKey key{};
    if (!opened || opened->size() != key.size())
        return Error{ErrorKind::invalid, "subject_key_unopenable", "the key of " + record.subject + " does not open with this master key"};
    std::copy(opened->begin(), opened->end(), key.begin());
    return key;
}

KeyRing::KeyRing(MasterKey master) : master_(std::move(master)) {}

Result<KeyRing::SealingKey> KeyRing::for_sealing(const OrganizationId& organization_id, const std::string& subject, std::int64_t now_ms) {
    {
        std::shared_lock lock(mutex_);
        if (auto found = keys_.find(subject); found != keys_.end())
            return SealingKey{found->second.key, found->second.version, found->second.unstored};
    }
    std::unique_lock lock(mutex_);
    if (erased_.contains(subject)) return Error{ErrorKind::conflict, "subject_erased", subject + " was erased: nothing more is kept of them"};
    auto [entry, made] = keys_.try_emplace(subject);
    if (made) {
        entry->second.key = random_key();
        entry->second.unstored = master_.wrap(subject, organization_id, entry->second.key, now_ms);
    }
    return SealingKey{entry->second.key, entry->second.version, entry->second.unstored};
}

void KeyRing::stored(const std::string& subject) {
    std::unique_lock lock(mutex_);
    if (auto found = keys_.find(subject); found != keys_.end()) found->second.unstored.reset();
}

std::optional<SymmetricKey> KeyRing::for_opening(std::string_view subject, std::uint32_t version) const {
    std::shared_lock lock(mutex_);
    auto found = keys_.find(subject);
    if (found == keys_.end() || found->second.version != version) return std::nullopt;
    return found->second.key;
}

Result<bool> KeyRing::load(std::string_view record_value) {
    auto record = decode_subject_key(record_value);
    if (!record) return record.error();
    auto key = master_.unwrap(*record);
    if (!key) return key.error();
    std::unique_lock lock(mutex_);
    keys_.insert_or_assign(record->subject, Entry{*key, record->version, std::nullopt});
    return true;
}

void KeyRing::forget(std::string_view subject) {
    std::unique_lock lock(mutex_);
    erased_.emplace(subject);
    if (auto found = keys_.find(subject); found != keys_.end()) {
        sodium_memzero(found->second.key.data(), found->second.key.size());
        keys_.erase(found);
    }
}

std::size_t KeyRing::size() const {
    std::shared_lock lock(mutex_);
    return keys_.size();
}

}  // namespace debrief::events
