//! `descent render`: pictures of a scene without a window.

use std::path::{Path, PathBuf};
use std::process::Command;

use descent::render::{GIF_HOLD_CS, MAX_GIF_FRAMES, Renderer, rgba_of, write_gif, write_png};
use descent::scene::{PALETTE, Scene};

fn preset(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("presets")
        .join(format!("{name}.ron"))
}

fn count_near(rgba: &[u8], rgb: [u8; 3], tolerance: i32) -> usize {
    rgba.chunks_exact(4)
        .filter(|p| (0..3).all(|k| (i32::from(p[k]) - i32::from(rgb[k])).abs() <= tolerance))
        .count()
}

#[test]
fn a_png_shows_the_map_and_every_racer_and_is_deterministic() {
    let scene = Scene::load(&preset("07-himmelblau")).unwrap();
    let renderer = Renderer::new(&scene, [320, 240], None).unwrap();
    let rgba = rgba_of(&renderer.frame(renderer.steps()));
    assert_eq!(rgba.len(), 320 * 240 * 4);
    let distinct: std::collections::HashSet<&[u8]> = rgba.chunks_exact(4).collect();
    assert!(distinct.len() > 500, "{} colours", distinct.len());
    for (i, racer) in scene.racers.iter().enumerate() {
        let color = racer.color_at(i);
        assert_eq!(color, PALETTE[i]);
        let n = count_near(&rgba, color, 0);
        assert!(n >= 20, "{}: {n} pixels of {color:?}", racer.optimizer);
    }
    let again = rgba_of(&Renderer::new(&scene, [320, 240], None).unwrap().frame(100));
    assert_eq!(rgba, again, "same scene, same picture");
    let mut png = Vec::new();
    write_png(&rgba, [320, 240], &mut png).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn a_gif_grows_the_race_frame_by_frame() {
    let mut scene = Scene::load(&preset("02-canyon-momentum")).unwrap();
    scene.speed = 15.0;
    let renderer = Renderer::new(&scene, [160, 120], Some(40)).unwrap();
    // 40 steps at 15 steps/s and 10 fps: 2.67 s in 27 intervals, 28 frames from step 0 to 40.
    let frames = renderer.gif_frames(scene.speed, 10.0);
    assert_eq!(frames.len(), 28);
    assert_eq!((frames[0].step, frames[27].step), (0, 40));
    assert!(frames.windows(2).all(|w| w[0].step < w[1].step));
    let mut gif = Vec::new();
    assert_eq!(write_gif(&renderer, &frames, &mut gif).unwrap(), 28);
    let mut decoder = gif::DecodeOptions::new().read_info(&gif[..]).unwrap();
    assert_eq!((decoder.width(), decoder.height()), (160, 120));
    let mut count = 0;
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        if count == 0 {
            assert_eq!(
                (frame.width, frame.height),
                (160, 120),
                "the first frame is whole"
            );
        }
        count += 1;
    }
    assert_eq!(count, 28);
    // The first and the last frame differ: the paths grew.
    assert_ne!(rgba_of(&renderer.frame(0)), rgba_of(&renderer.frame(40)));
}

/// Every frame's delay (centiseconds), decoded from the GIF.
fn delays(gif: &[u8]) -> Vec<u16> {
    let mut decoder = gif::DecodeOptions::new().read_info(gif).unwrap();
    let mut delays = Vec::new();
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        delays.push(frame.delay);
    }
    delays
}

/// A GIF of `steps` steps at `speed` steps/s and at most `fps` frames per second plays in
/// steps/speed seconds (to within one frame), then holds its last frame.
fn check_gif_duration(steps: u64, speed: f64, fps: f64) -> Vec<u64> {
    let mut scene = Scene::load(&preset("01-learning-rate")).unwrap();
    scene.speed = speed;
    let renderer = Renderer::new(&scene, [64, 64], Some(steps)).unwrap();
    let frames = renderer.gif_frames(speed, fps);
    let mut gif = Vec::new();
    write_gif(&renderer, &frames, &mut gif).unwrap();
    let delays = delays(&gif);
    assert_eq!(delays.len(), frames.len());
    assert!(delays.len() <= MAX_GIF_FRAMES);
    let (last, playing) = delays.split_last().unwrap();
    assert_eq!(*last, GIF_HOLD_CS);
    let played: u32 = playing.iter().map(|&d| u32::from(d)).sum();
    let longest = f64::from(*playing.iter().max().unwrap());
    let expected = 100.0 * steps as f64 / speed;
    assert!(
        (f64::from(played) - expected).abs() <= longest,
        "{steps} steps at {speed}/s: {played} cs, expected {expected}"
    );
    // No frame is shorter than browsers play (2 cs) or than 1/fps.
    assert!(
        playing
            .iter()
            .all(|&d| d >= 2 && f64::from(d) >= (100.0 / fps).floor())
    );
    frames.iter().map(|f| f.step).collect()
}

#[test]
fn a_gif_plays_the_race_at_its_speed() {
    // 100 steps at 10 steps/s: 10 s, one frame per step (10 cs each) at 20 fps.
    let steps = check_gif_duration(100, 10.0, 20.0);
    assert_eq!(steps, (0..=100).collect::<Vec<u64>>());
    // Slow: 30 steps at 2 steps/s, 15 s; each step held half a second.
    let steps = check_gif_duration(30, 2.0, 20.0);
    assert_eq!(steps.len(), 31);
    // Fast and long: 5000 steps at 250 steps/s, 20 s; 400 frames at 20 fps would be too many,
    // so 300 frames skip about 17 steps each.
    let steps = check_gif_duration(5000, 250.0, 20.0);
    assert_eq!(steps.len(), MAX_GIF_FRAMES);
    assert_eq!(*steps.last().unwrap(), 5000);
    // Fast and short: 90 steps at 1000 steps/s, 0.09 s, at 2 cs a frame.
    let steps = check_gif_duration(90, 1000.0, 100.0);
    assert_eq!(steps.len(), 5);
    // An fps that does not divide 100: 7 s at 30 fps, delays of 3 and 4 cs adding up.
    check_gif_duration(700, 100.0, 30.0);
}

#[test]
fn a_diverging_run_ends_in_a_red_arrow_on_the_edge_and_a_red_legend() {
    // GD at lr 0.45 on a bowl whose stability limit is 0.4 diverges at step 130.
    let scene = Scene::load(&preset("01-learning-rate")).unwrap();
    let (w, h) = (320usize, 240usize);
    let renderer = Renderer::new(&scene, [w as u32, h as u32], Some(150)).unwrap();
    // Red pixels: in the legend (top left), and elsewhere only within the arrow's length of
    // the picture's edge (viridis has no red).
    let red = |step: u64| -> (usize, usize) {
        let rgba = rgba_of(&renderer.frame(step));
        let (mut legend, mut edge) = (0, 0);
        for (i, p) in rgba.chunks_exact(4).enumerate() {
            // ALARM red, or anti-aliased text in it over the dark legend panel.
            let reddish = i32::from(p[0]) > i32::from(p[1]) + 80 && p[1].abs_diff(p[2]) < 40;
            if !reddish {
                continue;
            }
            let (x, y) = (i % w, i / w);
            if x < w - 20 && y < 80 {
                legend += 1;
            } else {
                assert!(
                    x < 20 || y < 20 || x >= w - 20 || y >= h - 20,
                    "red at ({x}, {y})"
                );
                edge += 1;
            }
        }
        (legend, edge)
    };
    let (legend, edge) = red(150);
    assert!(
        legend > 20 && edge > 20,
        "{legend} red pixels in the legend, {edge} on the edge"
    );
    assert_eq!(red(125), (0, 0), "not yet diverged");
}

#[test]
fn every_preset_renders() {
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("presets")).unwrap() {
        let path = entry.unwrap().path();
        let scene = Scene::load(&path).unwrap();
        let renderer = Renderer::new(&scene, [96, 64], Some(scene.steps.min(200))).unwrap();
        let rgba = rgba_of(&renderer.frame(renderer.steps()));
        assert!(
            rgba.chunks_exact(4).all(|p| p[3] == 255),
            "{path:?} is opaque"
        );
    }
}

fn descent(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_descent"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_cli_writes_pictures_atomically_and_refuses_bad_requests() {
    let dir = std::env::temp_dir().join(format!("descent-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scene = preset("15-newton-saddle");
    let scene = scene.to_str().unwrap();
    let png = dir.join("x.png");
    let out = descent(&[
        "render",
        scene,
        "--out",
        png.to_str().unwrap(),
        "--size",
        "200x150",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let info = decoder.read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (200, 150));
    let gif = dir.join("x.gif");
    let out = descent(&[
        "render",
        scene,
        "--out",
        gif.to_str().unwrap(),
        "--size",
        "120x90",
        "--steps",
        "20",
        "--fps",
        "5",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(&gif).unwrap().starts_with(b"GIF89a"));
    let cases: &[(&[&str], &str)] = &[
        (
            &["render", scene, "--out", "x.jpg"],
            "must end in .png or .gif",
        ),
        (
            &["render", scene, "--out", "x.png", "--size", "10x10"],
            "each side in 64 ..= 4096",
        ),
        (
            &["render", scene, "--out", "x.png", "--size", "wide"],
            "must be WxH",
        ),
        (
            &["render", scene, "--out", "x.gif", "--fps", "0"],
            "--fps must be in 1 ..= 50",
        ),
        (
            &["render", scene, "--out", "x.gif", "--fps", "60"],
            "--fps must be in 1 ..= 50",
        ),
        (
            &["render", "missing.ron", "--out", "x.png"],
            "cannot read missing.ron",
        ),
        (
            &["render", scene, "--out", "x.png", "--steps", "0"],
            "steps must be",
        ),
        (
            &["render", scene, "--out", "/nonexistent-dir/x.png"],
            "cannot write /nonexistent-dir/x.png",
        ),
    ];
    for (args, expected) in cases {
        let out = descent(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
