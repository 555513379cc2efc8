//! `descent`: the command line (`run`, `list`).
fn main() -> std::process::ExitCode {
    descent::cli::main()
}
