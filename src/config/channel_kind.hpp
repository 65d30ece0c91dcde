// A kind of channel as the config layer sees it (GPIO inputs, GPIO outputs, PWM outputs, pulse
// counters, ...): the top-level section it reads ("inputs", "pwm", ...), its own keys and their
// validation, and, for each entry, the facts the other parts of the config check against (its
// id, the GPIO line it claims, whether a rule or an interlock may name it, the files it writes).
// The kinds themselves live in app/channel_kinds/, one file each, with their factory, commands
// and Home Assistant mapping, which config/ must not know; the app installs its table here
// before any config is loaded, so that start-up, `--check-config` and reload all read the
// sections with the same code. Sensors have a table of their own (sensor_kind.hpp).
//
// Thread: install_channel_kinds() once, before loading a config; the rest is read-only.
// Errors: read() throws config_error naming the JSON path (through object_reader).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/json_reader.hpp"
#include "config/sensor_kind.hpp"

namespace piogate::config {

class channel_config_kind;

// The GPIO line an entry claims, as its "chip" ("" = any chip) and "line" keys spell it.
struct line_claim {
    std::string chip;
    std::string line;
};

// An on/off output a rule's "actuator" and an interlock group may name, with the states it
// takes by itself (an interlock group may have at most one member ON in each).
struct switch_states {
    bool initial = false;   // ON at start
    bool failsafe = false;  // ON at shutdown
};

// A file the entry writes, named by (or defaulted for) its key `key`.
struct written_file {
    std::string key;  // "state_file", "initial"
    std::string file;
};

// What the rest of the config (line claims, rules, interlocks) and app::preflight check an
// entry against, whatever its kind.
struct entry_facts {
    std::string id;
    std::string path;                         // JSON path of the entry: "/inputs/0"
    std::optional<line_claim> line;           // the GPIO line it requests
    bool binary_source = false;               // a rule's "input" may name it (it reports ON/OFF)
    std::optional<switch_states> switchable;  // a rule's "actuator" and interlocks may name it
    std::vector<written_file> files;          // state files it writes (preflight checks where)
};

// One kind's entries, read from its section, held by value (shared, immutable) without the
// config layer knowing their type; == compares the entries, so a reload sees what changed.
class channel_section {
public:
    channel_section() = default;
    template <class T>
    static channel_section of(const channel_config_kind& kind, std::vector<T> entries) {
        channel_section s;
        s.kind_ = &kind;
        s.entries_ = kind_options::of(std::move(entries));
        return s;
    }
    const channel_config_kind* kind() const { return kind_; }
    // The entries if they are T's, else nullptr.
    template <class T>
    const std::vector<T>* entries_if() const {
        const auto* t = dynamic_cast<const typed_options<std::vector<T>>*>(entries_.get());
        return t ? &t->value : nullptr;
    }
    bool operator==(const channel_section& o) const {
        return kind_ == o.kind_ && entries_ == o.entries_;
    }

private:
    const channel_config_kind* kind_ = nullptr;
    kind_options entries_;
};

class channel_config_kind {
public:
    virtual ~channel_config_kind() = default;
    // The top-level key of the kind's array of entries: "inputs", "actuators", "pwm", ...
    virtual const char* section() const = 0;
    // Reads and validates the section from the top-level object (absent = no entries).
    virtual channel_section read(object_reader& top) const = 0;
    // The facts of each entry of `s` (a section this kind read), in order.
    virtual std::vector<entry_facts> facts(const channel_section& s) const = 0;
};

// The usual implementation: entries of a plain struct T with `id`, `path` and operator==.
// read_entry() reads one entry's keys (the reader's finish() is called after it); `before`
// are the entries read so far, for duplicate checks. facts_of() adds what the entry claims,
// beyond id and path.
template <class T>
class entries_kind : public channel_config_kind {
public:
    channel_section read(object_reader& top) const final {
        std::vector<T> out;
        top.for_each(section(), [&](const json& j, const std::string& path) {
            object_reader r(j, path);
            T entry = read_entry(r, out);
            entry.path = path;
            r.finish();
            out.push_back(std::move(entry));
        });
        check_entries(out);
        return channel_section::of(*this, std::move(out));
    }
    std::vector<entry_facts> facts(const channel_section& s) const final {
        std::vector<entry_facts> out;
        if (const auto* entries = s.entries_if<T>()) {
            for (const auto& e : *entries) {
                entry_facts f;
                f.id = e.id;
                f.path = e.path;
                facts_of(e, f);
                out.push_back(std::move(f));
            }
        }
        return out;
    }

protected:
    virtual T read_entry(object_reader& r, const std::vector<T>& before) const = 0;
    // Checks over the whole section, after every entry was read. Default: none.
    virtual void check_entries(const std::vector<T>& entries) const { (void)entries; }
    virtual void facts_of(const T& entry, entry_facts& f) const {
        (void)entry;
        (void)f;
    }

    // The entry's "id", refused when an entry before it has it ("duplicate <noun> id \"x\"").
    static std::string read_unique_id(object_reader& r, const std::vector<T>& before,
                                      const std::string& noun) {
        std::string id = r.get_id("id");
        for (const auto& e : before) {
            if (e.id == id) r.fail("id", "duplicate " + noun + " id \"" + id + "\"");
        }
        return id;
    }
};

using channel_kind_table = std::vector<const channel_config_kind*>;

// The kinds config loading reads, in the order their sections are read and checked. The table
// must outlive every later load (the app's is static).
void install_channel_kinds(const channel_kind_table& kinds);
// Throws std::logic_error when none were installed (a program that forgot the app's table).
const channel_kind_table& installed_channel_kinds();

// Throws config_error at "<path>/line" of the second entry (in order) that claims a GPIO line
// an earlier one claims, spelt the same way ("line GPIO17 is already claimed by /inputs/0");
// app::preflight compares the lines once resolved on the chips.
void check_line_claims(const std::vector<entry_facts>& entries);

// Throws config_error at "<path>/id" when two entries of different kinds that a rule may name
// in the same role have the same id (within a kind, the kind refuses a duplicate id itself):
// "actuator id \"pump\" is already used by /actuators/0".
void check_role_ids(const std::vector<entry_facts>& entries);

// The entry a rule's "input" may name with this id, or nullptr.
const entry_facts* find_binary_source(const std::vector<entry_facts>& entries,
                                      const std::string& id);
// The entry a rule's "actuator" or an interlock may name with this id, or nullptr.
const entry_facts* find_switchable(const std::vector<entry_facts>& entries, const std::string& id);

}  // namespace piogate::config
