fn main() {
    std::process::exit(ecrlint::cli::run());
}
