//! The binary Trunk builds and loads in the page: it only hands over to the library's `start`.

fn main() {
    outage_drill::start();
}
