//! `descent --screenshot` opens the real window (on a private Xvfb server), plays frames,
//! and writes a PNG of the whole window that shows the map and the racers. Needs Xvfb and a
//! Vulkan driver (lavapipe): `.ci/run` installs both when missing.
#![cfg(feature = "gui")]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// An Xvfb server on a free display, stopped on drop.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    /// Xvfb picks a free display itself and writes its number to us (`-displayfd`), so tests
    /// running in parallel never share or race for a display.
    fn start() -> Self {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1600x1000x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is not installed: the window tests need it (see .ci/run)");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("piped");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("Xvfb reports its display");
        let number: u32 = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("Xvfb did not start: {line:?}"));
        Self {
            child,
            display: format!(":{number}"),
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("descent-screenshot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Run `descent` with `args` on `display`, killing it after two minutes.
fn descent(display: &str, args: &[&str]) -> Output {
    let runtime = scratch("xdg");
    std::fs::create_dir_all(&runtime).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_descent"))
        .args(args)
        .env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("HOME", scratch("home"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("descent {args:?} did not exit within two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.wait_with_output().unwrap()
}

fn near(a: &[u8], b: [u8; 3], tolerance: i32) -> bool {
    a.iter()
        .zip(b)
        .all(|(&x, y)| (i32::from(x) - i32::from(y)).abs() <= tolerance)
}

#[test]
fn the_real_window_saves_a_screenshot_that_shows_the_race() {
    let x = Xvfb::start();
    let path = scratch("shot.png");
    let out = descent(
        &x.display,
        &["--screenshot", path.to_str().unwrap(), "--frames", "90"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}: {stderr}", out.status);
    let decoder = png::Decoder::new(std::io::Cursor::new(std::fs::read(&path).unwrap()));
    let mut reader = decoder.read_info().expect("a PNG was written");
    let mut rgba = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut rgba).unwrap();
    let (w, h) = (info.width, info.height);
    assert!(w >= 800 && h >= 500, "{w}×{h}");
    assert_eq!(info.color_type, png::ColorType::Rgba);
    let pixels: Vec<&[u8]> = rgba.chunks_exact(4).map(|p| &p[..3]).collect();
    let distinct: std::collections::HashSet<&[u8]> = pixels.iter().copied().collect();
    assert!(
        distinct.len() > 1000,
        "only {} colours: blank?",
        distinct.len()
    );
    // The map (viridis: dark purple to yellow) and each racer's colour are on screen.
    for (what, rgb, tolerance) in [
        ("viridis purple", [68, 1, 84], 12),
        ("viridis yellow", [253, 231, 37], 12),
        ("gd's orange", [230, 159, 0], 8),
        ("momentum's sky blue", [86, 180, 233], 8),
        ("adam's reddish purple", [204, 121, 167], 8),
    ] {
        let count = pixels.iter().filter(|p| near(p, rgb, tolerance)).count();
        assert!(count >= 30, "{what}: {count} pixels");
    }
}

#[test]
fn a_screenshot_that_cannot_be_written_exits_non_zero_and_says_why() {
    let x = Xvfb::start();
    let out = descent(
        &x.display,
        &["--screenshot", "/nonexistent-dir/shot.png", "--frames", "5"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: cannot write /nonexistent-dir/shot.png"),
        "{stderr}"
    );
}
