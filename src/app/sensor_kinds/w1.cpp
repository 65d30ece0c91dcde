// 1-Wire thermometers through the kernel's w1-gpio + w1_therm drivers (dtoverlay=w1-gpio):
// "ds18b20" (family 28 only) and "w1" (any of 28 DS18B20, 22 DS1822, 10 DS18S20, 3b MAX31850,
// 42 DS28EA00). Keys: "rom" (required, "28-0316a2794aff"; `piogate --scan-w1` lists them),
// "resolution" (9..12 bits, DS18B20/DS1822/DS28EA00 only; absent = leave the probe's).
// Resolution: 0.0625 °C at 12 bits (0.5 at 9); DS18S20 0.5 °C; MAX31850 0.25 °C.
#include "app/sensor_kind.hpp"
#include "app/sensor_kinds/quantities.hpp"
#include "hw/sysfs/w1_thermometer.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::app::kinds {
namespace {

struct w1_options {
    std::string rom;
    int resolution = 0;
    bool operator==(const w1_options&) const = default;
};

class w1_kind_t final : public sysfs_sensor_kind {
public:
    explicit w1_kind_t(std::string name, unsigned family)
        : name_(std::move(name)), family_(family) {}

    const std::string& name() const override { return name_; }

    config::kind_options read_options(config::object_reader& r) const override {
        w1_options o;
        o.rom = r.get_string("rom");
        if (!hw::is_w1_rom_id(o.rom)) {
            r.fail("rom", "\"" + o.rom +
                              "\" is not a 1-Wire ROM id (family, '-', 12 hex digits: "
                              "28-0316a2794aff; piogate --scan-w1 lists them)");
        }
        const hw::w1_family* f = hw::w1_family_of(o.rom);
        if (!f) {
            r.fail("rom", o.rom.substr(0, 2) +
                              " is not a thermometer family read here (28 DS18B20, 22 DS1822, "
                              "10 DS18S20, 3b MAX31850, 42 DS28EA00)");
        }
        if (family_ != 0 && f->code != family_) {
            r.fail("rom", o.rom + " is a " + f->model +
                              ", not a DS18B20 (family 28); use \"type\": \"w1\"");
        }
        if (r.has("resolution")) {
            o.resolution = static_cast<int>(r.get_int("resolution", 9, 12));
            if (!f->resolution_settable) {
                r.fail("resolution", std::string("the ") + f->model + "'s resolution is fixed");
            }
        }
        return config::kind_options::of(o);
    }

    std::vector<config::quantity_spec> quantities(
        const config::kind_options& options) const override {
        const auto& o = options.as<w1_options>();
        const hw::w1_family* f = hw::w1_family_of(o.rom);
        double step = 0.0625;
        if (f && f->code == 0x10) step = 0.5;
        if (f && f->code == 0x3b) step = 0.25;
        if (o.resolution != 0) step = 0.5 / (1 << (o.resolution - 9));
        return {temperature(step)};
    }

protected:
    // A conversion takes the w1 driver up to 750 ms per probe: its own thread, so that the
    // other sysfs sensors (SoC temperature, hwmon, IIO) are not read seconds late behind it.
    std::string worker_name() const override { return "w1"; }

    std::unique_ptr<hw::sensor> make_driver(const std::filesystem::path& root,
                                            const config::sensor_config& c) const override {
        const auto& o = c.options.as<w1_options>();
        return std::make_unique<hw::w1_thermometer>(root,
                                                    hw::w1_thermometer_config{o.rom, o.resolution});
    }

private:
    std::string name_;
    unsigned family_;  // 0 = any
};

}  // namespace

const sensor_kind& ds18b20_kind() {
    static const w1_kind_t kind("ds18b20", 0x28);
    return kind;
}

const sensor_kind& w1_kind() {
    static const w1_kind_t kind("w1", 0);
    return kind;
}

}  // namespace piogate::app::kinds
