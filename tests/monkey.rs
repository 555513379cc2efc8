//! The monkey: seeded random clicks, drags, wheel turns, keys and typed numbers through the
//! real app (egui_kittest, 1280×720) on the default scene and on every built-in preset.
//! Nothing may panic, and the scene the app holds must stay one its own loader accepts:
//! written as RON ([`Scene::to_ron`]) and read back ([`Scene::from_ron`], every check), it
//! loads and is the same scene. That is checked every [`CHECK_EVERY`] frames and at the end.
//!
//! Deterministic: each scene's events come from a ChaCha8 stream seeded from its name, and
//! the summary line gives a hash of the final scene, the same on every run. The maps are
//! computed in the background as in the window (computed in the frame, the data and basins
//! presets take seconds a frame in a debug build): when one arrives varies, what the monkey
//! does and the scene it leaves do not. A failure names the scene, the seed, the frame and
//! the last actions, and prints the command that replays it:
//! `DESCENT_MONKEY_SEED=<seed> DESCENT_MONKEY_FRAMES=<n> cargo test --test monkey <test>`
//! (`DESCENT_MONKEY_SLOW_MS=<ms>` prints every frame slower than that with the actions before
//! it). A frame that hangs ends the binary with the same details ([`HANG`]).
//!
//! Nothing is written: the harness has no storage (eframe's persistence is never called), and
//! the in-app file chooser is cancelled the frame it appears, before the monkey can press
//! its Save (so no scene, CSV, PNG or GIF lands in the home folder or the repository).
#![cfg(feature = "gui")]

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use descent::app::{DescentApp, Options};
use descent::scene::Scene;
use egui::accesskit::Role;
use egui::{
    Event, Key, Modifiers, MouseWheelSource, MouseWheelUnit, PointerButton, Pos2, Rect, TouchPhase,
    pos2, vec2,
};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// Frames the monkey plays on each scene (37 scenes): the file takes about a minute on two
/// cores in a debug build.
const FRAMES: usize = 300;

/// The most time one scene may take, so the file stays near two minutes on two cores in a
/// debug build: an edit after the monkey has typed 10000 data points recomputes the race on
/// the UI thread for seconds there. The events stay the seed's; only how many of them are
/// played depends on the machine (the summary says). Not applied with
/// `DESCENT_MONKEY_FRAMES`, so a replay plays exactly the frames asked for.
const SCENE_BUDGET: Duration = Duration::from_secs(10);

/// How often (in frames) the scene is written, read back and compared.
const CHECK_EVERY: usize = 25;

/// A frame this long is a hang: the watchdog prints the scene, seed and last actions and
/// ends the test binary (a stuck frame cannot be unwound).
const HANG: Duration = Duration::from_secs(60);

/// The screen, as the app is designed for (a projector).
const SCREEN: Rect = Rect::from_min_max(Pos2::ZERO, pos2(1280.0, 720.0));

/// The left controls, where the sliders, checkboxes and combo boxes are.
const CONTROLS: Rect = Rect::from_min_max(pos2(0.0, 28.0), pos2(260.0, 690.0));

/// Numbers typed into whatever has focus: ordinary, huge, tiny, signed zero, not numbers.
/// The empty string clears the field (select all, delete) instead.
const TYPED: &[&str] = &[
    "1e308", "-1e308", "-0", "nan", "NaN", "inf", "-inf", "999999", "", "0", "1e-320", "-1", "0.5",
    "3", "12", "1e9", "abc", "1,5", "--2", "0x10",
];

/// Values sent through accesskit's SetValue (what a screen reader can ask a slider for).
const SET_VALUES: &[f64] = &[
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    1e308,
    -1e308,
    -0.0,
    999999.0,
    1e-320,
    0.0,
];

/// The keys pressed, shortcuts (Space, →, R, F, Esc, ?) and keys widgets take.
const KEYS: &[Key] = &[
    Key::Space,
    Key::ArrowRight,
    Key::ArrowLeft,
    Key::ArrowUp,
    Key::ArrowDown,
    Key::R,
    Key::F,
    Key::Escape,
    Key::Questionmark,
    Key::Num0,
    Key::Num1,
    Key::Num2,
    Key::Num5,
    Key::Num9,
    Key::Minus,
    Key::Period,
    Key::Tab,
    Key::Enter,
    Key::Backspace,
    Key::Delete,
];

/// The roles the monkey aims at when it picks a widget rather than a pixel.
const AIMED: &[Role] = &[
    Role::Button,
    Role::CheckBox,
    Role::RadioButton,
    Role::Slider,
    Role::SpinButton,
    Role::ComboBox,
    Role::TextInput,
    Role::MultilineTextInput,
    Role::MenuItem,
    Role::MenuItemCheckBox,
    Role::MenuItemRadio,
    Role::Tab,
    Role::Link,
    Role::ListBoxOption,
];

/// One scene's monkey: the app, the random stream and what it did last.
struct Monkey {
    h: Harness<'static, DescentApp>,
    rng: ChaCha8Rng,
    frame: usize,
    /// The last actions, for the failure message (and the watchdog's).
    log: Arc<Mutex<VecDeque<String>>>,
    /// When the frame being run started; `None` between frames.
    beat: Arc<Mutex<Option<Instant>>>,
    /// Tells the watchdog the monkey is done.
    done: Arc<AtomicBool>,
    counts: Counts,
    /// The slowest frame: its time and the action that led to it.
    slowest: (f64, String),
    /// When the scene's time is up ([`SCENE_BUDGET`]); no frame runs after it.
    deadline: Option<Instant>,
    /// Print every frame slower than this (`DESCENT_MONKEY_SLOW_MS`).
    slow_ms: Option<f64>,
}

/// What the monkey did, for the report.
#[derive(Default, Debug)]
struct Counts {
    frames: usize,
    events: usize,
    clicks: usize,
    drags: usize,
    wheels: usize,
    keys: usize,
    typed: usize,
    set_values: usize,
    choosers_cancelled: usize,
    checks: usize,
}

impl Monkey {
    fn new(scene: Scene, seed: u64, label: &str) -> Self {
        let h = Harness::builder()
            .with_size(SCREEN.size())
            .with_pixels_per_point(1.0)
            .build_eframe(move |cc| {
                DescentApp::new(
                    cc,
                    Options {
                        scene: Some(scene),
                        background_maps: true,
                        ..Options::default()
                    },
                )
            });
        let monkey = Self {
            h,
            rng: ChaCha8Rng::seed_from_u64(seed),
            frame: 0,
            log: Arc::default(),
            beat: Arc::default(),
            done: Arc::default(),
            counts: Counts::default(),
            slowest: (0.0, String::new()),
            deadline: None,
            slow_ms: env_number("DESCENT_MONKEY_SLOW_MS").map(|ms| ms as f64),
        };
        monkey.watch(format!("{label} (seed {seed:#018x})"));
        monkey
    }

    /// A thread that ends the test binary when a frame runs longer than [`HANG`], saying
    /// where: a hang would otherwise stall the test run until CI's own timeout.
    fn watch(&self, what: String) {
        let (log, beat, done) = (self.log.clone(), self.beat.clone(), self.done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(250));
                let started = *beat.lock().unwrap_or_else(PoisonError::into_inner);
                if started.is_some_and(|t| t.elapsed() > HANG) {
                    eprintln!(
                        "the monkey hung {what}: a frame ran over {} s\nlast actions:\n  {}",
                        HANG.as_secs(),
                        lines(&log)
                    );
                    std::process::exit(101);
                }
            }
        });
    }

    fn last_actions(&self) -> String {
        lines(&self.log)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.rng.next_u64() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.rng.next_u64() % 100 < percent
    }

    fn coin(&mut self) -> f32 {
        (self.rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    fn point_in(&mut self, r: Rect) -> Pos2 {
        let (a, b) = (self.coin(), self.coin());
        pos2(r.min.x + a * r.width(), r.min.y + b * r.height())
    }

    /// Where a pointer goes: the map, the controls, or anywhere.
    fn somewhere(&mut self) -> Pos2 {
        let map = self.h.state().map_rects().first().copied();
        match (self.below(10), map) {
            (0..4, Some(map)) => self.point_in(map.intersect(SCREEN)),
            (0..7, _) => self.point_in(CONTROLS),
            _ => self.point_in(SCREEN),
        }
    }

    fn note(&mut self, what: String) {
        let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        if log.len() == 16 {
            log.pop_front();
        }
        log.push_back(format!("frame {}: {what}", self.frame));
    }

    /// One frame with these events.
    fn frame(&mut self, events: Vec<Event>) {
        if self.deadline.is_some_and(|d| Instant::now() > d) {
            return; // the rest of this action is dropped; `play` settles and stops
        }
        self.counts.events += events.len();
        self.h.input_mut().events.extend(events);
        let started = Instant::now();
        *self.beat.lock().unwrap_or_else(PoisonError::into_inner) = Some(started);
        self.h.step();
        *self.beat.lock().unwrap_or_else(PoisonError::into_inner) = None;
        let ms = started.elapsed().as_secs_f64() * 1e3;
        if self.slow_ms.is_some_and(|slow| ms > slow) {
            eprintln!(
                "monkey: {ms:.0} ms frame {} after\n  {}",
                self.frame,
                self.last_actions()
            );
        }
        if ms > self.slowest.0 {
            let log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
            self.slowest = (ms, log.back().cloned().unwrap_or_default());
        }
        self.frame += 1;
        self.counts.frames += 1;
        self.cancel_chooser();
    }

    /// The in-app file chooser (File › Open…, Save as…, Export…) is cancelled the frame it
    /// appears, before the monkey can press its Save (which would write into the home
    /// folder): its Cancel, pressed through accesskit, closes it in the next frame, and the
    /// frame after no longer draws it.
    fn cancel_chooser(&mut self) {
        let Some(cancel) = self.h.query_by_role_and_label(Role::Button, "Cancel") else {
            return;
        };
        cancel.click_accesskit();
        self.h.step();
        self.h.step();
        self.counts.choosers_cancelled += 1;
        self.note("cancelled the file chooser".into());
        let open = self.h.query_by_role_and_label(Role::Button, "Cancel");
        assert!(
            open.is_none(),
            "the file chooser's Cancel does not close it"
        );
    }

    fn click(&mut self, pos: Pos2, button: PointerButton, what: &str) {
        self.note(format!(
            "{button:?} click at ({:.0}, {:.0}){what}",
            pos.x, pos.y
        ));
        self.counts.clicks += 1;
        let press = |pressed| Event::PointerButton {
            pos,
            button,
            pressed,
            modifiers: Modifiers::NONE,
        };
        self.frame(vec![Event::PointerMoved(pos), press(true)]);
        self.frame(vec![press(false)]);
    }

    fn drag(&mut self, from: Pos2, to: Pos2, what: &str) {
        let moves = 2 + self.below(5);
        self.note(format!(
            "drag ({:.0}, {:.0}) → ({:.0}, {:.0}) in {moves} moves{what}",
            from.x, from.y, to.x, to.y
        ));
        self.counts.drags += 1;
        let button = |pressed, pos| Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        };
        self.frame(vec![Event::PointerMoved(from), button(true, from)]);
        for i in 1..=moves {
            let p = from.lerp(to, i as f32 / moves as f32);
            self.frame(vec![Event::PointerMoved(p)]);
        }
        self.frame(vec![button(false, to)]);
    }

    /// A widget's rectangle, role and label, picked at random among those on screen.
    fn widget(&mut self, roles: &[Role]) -> Option<(Rect, Role, String)> {
        let mut found: Vec<(Rect, Role, String)> = self
            .h
            .query_all_by(|n| roles.contains(&n.role()) && n.bounding_box().is_some())
            .map(|n| {
                let a = n.accesskit_node();
                (n.rect(), a.role(), a.label().unwrap_or_default())
            })
            .filter(|(r, _, _)| r.intersects(SCREEN) && r.is_positive())
            .collect();
        if found.is_empty() {
            return None;
        }
        let i = self.below(found.len());
        Some(found.swap_remove(i))
    }

    fn key(&mut self, key: Key, modifiers: Modifiers) {
        self.note(format!("key {key:?} {modifiers:?}"));
        self.counts.keys += 1;
        let event = |pressed| Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers,
        };
        self.frame(vec![event(true), event(false)]);
    }

    /// Type a number into whatever has focus (after clicking a number field, most times),
    /// then Enter, Tab or Escape.
    fn type_number(&mut self) {
        if self.chance(70)
            && let Some((r, role, label)) =
                self.widget(&[Role::SpinButton, Role::TextInput, Role::MultilineTextInput])
        {
            let at = self.point_in(r.intersect(SCREEN));
            self.click(
                at,
                PointerButton::Primary,
                &format!(" on {role:?} {label:?}"),
            );
        }
        let text = TYPED[self.below(TYPED.len())];
        self.note(format!("type {text:?}"));
        self.counts.typed += 1;
        if text.is_empty() {
            self.key(Key::A, Modifiers::COMMAND);
            self.key(Key::Backspace, Modifiers::NONE);
        } else {
            self.frame(vec![Event::Text(text.to_owned())]);
        }
        let end = [Key::Enter, Key::Tab, Key::Escape, Key::Enter][self.below(4)];
        self.key(end, Modifiers::NONE);
    }

    fn wheel(&mut self) {
        let pos = self.somewhere();
        let unit = [MouseWheelUnit::Line, MouseWheelUnit::Point][self.below(2)];
        let size = if unit == MouseWheelUnit::Line {
            3.0
        } else {
            80.0
        };
        let delta = vec2(
            (self.coin() - 0.5) * size * self.below(2) as f32,
            (self.coin() - 0.5) * 2.0 * size,
        );
        let modifiers = [Modifiers::NONE, Modifiers::NONE, Modifiers::COMMAND][self.below(3)];
        self.note(format!(
            "wheel {delta:?} {unit:?} at ({:.0}, {:.0}) {modifiers:?}",
            pos.x, pos.y
        ));
        self.counts.wheels += 1;
        self.frame(vec![
            Event::PointerMoved(pos),
            Event::MouseWheel {
                unit,
                delta,
                phase: TouchPhase::Move,
                source: MouseWheelSource::Wheel,
                modifiers,
            },
        ]);
    }

    /// A slider or number field set through accesskit to a hostile value.
    fn set_value(&mut self) {
        let roles = [Role::Slider, Role::SpinButton];
        let Some((r, role, label)) = self.widget(&roles) else {
            return;
        };
        let value = SET_VALUES[self.below(SET_VALUES.len())];
        self.note(format!(
            "accesskit SetValue {value:?} on {role:?} {label:?}"
        ));
        self.counts.set_values += 1;
        let node = self
            .h
            .query_all_by(|n| {
                roles.contains(&n.role())
                    && n.label().unwrap_or_default() == label
                    && n.bounding_box().is_some()
            })
            .find(|n| n.rect() == r);
        if let Some(node) = node {
            node.set_value_accesskit(value);
        }
        // The queued request is this frame's event.
        self.frame(vec![]);
    }

    /// One random action.
    fn act(&mut self) {
        match self.below(100) {
            0..30 => {
                if let Some((r, role, label)) = self.widget(AIMED) {
                    let at = self.point_in(r.intersect(SCREEN));
                    let what = format!(" on {role:?} {label:?}");
                    if matches!(role, Role::Slider | Role::SpinButton) && self.chance(50) {
                        let to = at + vec2((self.coin() - 0.5) * 400.0, 0.0);
                        self.drag(at, to, &what);
                    } else {
                        self.click(at, PointerButton::Primary, &what);
                    }
                }
            }
            30..45 => {
                let at = self.somewhere();
                let button = [
                    PointerButton::Primary,
                    PointerButton::Primary,
                    PointerButton::Primary,
                    PointerButton::Secondary,
                    PointerButton::Middle,
                ][self.below(5)];
                self.click(at, button, "");
            }
            45..58 => {
                let from = self.somewhere();
                let to = if self.chance(50) {
                    self.somewhere()
                } else {
                    from + vec2((self.coin() - 0.5) * 200.0, (self.coin() - 0.5) * 200.0)
                };
                self.drag(from, to, "");
            }
            58..63 => {
                let at = self.somewhere();
                self.note(format!("move to ({:.0}, {:.0})", at.x, at.y));
                self.frame(vec![Event::PointerMoved(at)]);
            }
            63..71 => self.wheel(),
            71..84 => {
                let key = KEYS[self.below(KEYS.len())];
                let modifiers = if self.chance(10) {
                    Modifiers::SHIFT
                } else {
                    Modifiers::NONE
                };
                self.key(key, modifiers);
            }
            84..94 => self.type_number(),
            94..97 => self.set_value(),
            _ => {
                let n = 1 + self.below(4);
                self.note(format!("{n} idle frames"));
                for _ in 0..n {
                    self.frame(vec![]);
                }
            }
        }
    }

    fn check(&mut self) {
        self.counts.checks += 1;
        if let Err(e) = round_trip(self.h.state().scene()) {
            panic!("the scene is no longer valid: {e}");
        }
    }

    /// Play `frames` frames (fewer if `budget` runs out first: then returns false).
    fn play(&mut self, frames: usize, budget: Option<Duration>) -> bool {
        self.deadline = budget.map(|b| Instant::now() + b);
        self.frame(vec![]);
        self.frame(vec![]);
        let mut checked = 0;
        while self.frame < frames && self.deadline.is_none_or(|d| Instant::now() < d) {
            self.act();
            if self.frame - checked >= CHECK_EVERY {
                self.check();
                checked = self.frame;
            }
        }
        let played_all = self.frame >= frames;
        // Let go of everything, then settle.
        self.deadline = None;
        self.note("release, pointer gone, settle".into());
        let release = |button| Event::PointerButton {
            pos: pos2(640.0, 360.0),
            button,
            pressed: false,
            modifiers: Modifiers::NONE,
        };
        self.frame(vec![
            release(PointerButton::Primary),
            release(PointerButton::Secondary),
            release(PointerButton::Middle),
            Event::PointerGone,
        ]);
        self.frame(vec![]);
        self.frame(vec![]);
        self.check();
        played_all
    }
}

impl Drop for Monkey {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
    }
}

/// The log's lines, indented under a heading.
fn lines(log: &Mutex<VecDeque<String>>) -> String {
    let log = log.lock().unwrap_or_else(PoisonError::into_inner);
    log.iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n  ")
}

/// The scene as RON, read back with every check: it must load and be the same scene.
fn round_trip(scene: &Scene) -> Result<(), String> {
    let text = scene.to_ron();
    let back = Scene::from_ron(&text, "the monkey's scene")
        .map_err(|e| format!("it does not load back: {}\n{text}", e.0))?;
    if back == *scene || back.to_ron() == text {
        Ok(())
    } else {
        Err(format!(
            "it loads back as another scene:\n{text}\nread back and written again:\n{}",
            back.to_ron()
        ))
    }
}

/// FNV-1a: a stable seed for each scene's name (and a fingerprint of a scene's text).
fn seed_of(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn env_number(key: &str) -> Option<u64> {
    let text = std::env::var(key).ok()?;
    let text = text.trim();
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{key}={text} is not a number")))
}

/// Play the monkey on the built-in scene `name` (a preset file, or "" for the default scene)
/// in the test called `test`.
fn monkey(test: &str, name: &str) {
    let (label, scene) = if name.is_empty() {
        ("the default scene".to_string(), Scene::default())
    } else {
        let scene = descent::presets::load(name).expect("the preset loads");
        (format!("preset {name}"), scene)
    };
    let seed = env_number("DESCENT_MONKEY_SEED").unwrap_or_else(|| seed_of(name));
    let asked = env_number("DESCENT_MONKEY_FRAMES").map(|n| n as usize);
    let (frames, budget) = match asked {
        Some(n) => (n, None),
        None => (FRAMES, Some(SCENE_BUDGET)),
    };
    round_trip(&scene).unwrap_or_else(|e| panic!("{label} before the monkey: {e}"));
    let started = Instant::now();
    let mut monkey = Monkey::new(scene, seed, &label);
    let outcome = catch_unwind(AssertUnwindSafe(|| monkey.play(frames, budget)));
    let played_all = outcome.unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        panic!(
            "the monkey broke {label} at frame {frame} (seed {seed:#018x}): {message}\n\
             last actions:\n  {log}\n\
             replay: DESCENT_MONKEY_SEED={seed:#x} DESCENT_MONKEY_FRAMES={} \
             cargo test --test monkey -- --nocapture --exact {test}",
            monkey.frame + 1,
            frame = monkey.frame,
            log = monkey.last_actions(),
        );
    });
    let cut = if !played_all {
        " (cut short by the time budget)"
    } else {
        ""
    };
    // The final scene's hash: the same seed and frames give the same one on every run.
    let end = seed_of(&monkey.h.state().scene().to_ron());
    println!(
        "monkey: {label}: seed {seed:#018x}, {:.1} s{cut}, {:?}, final scene {end:016x}; \
         slowest frame {:.0} ms after {}",
        started.elapsed().as_secs_f64(),
        monkey.counts,
        monkey.slowest.0,
        monkey.slowest.1,
    );
}

/// One test per built-in scene, so a failure names it and the scenes share the cores.
macro_rules! monkeys {
    ($($test:ident => $name:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                monkey(stringify!($test), $name);
            }
        )*
        /// The presets the tests above cover.
        const COVERED: &[&str] = &[$($name),*];
    };
}

monkeys! {
    monkey_default_scene => "",
    monkey_01 => "01-learning-rate.ron",
    monkey_02 => "02-canyon-momentum.ron",
    monkey_03 => "03-nesterov.ron",
    monkey_04 => "04-saddle-noise.ron",
    monkey_05 => "05-saddle-momentum.ron",
    monkey_06 => "06-two-wells.ron",
    monkey_07 => "07-himmelblau.ron",
    monkey_08 => "08-rosenbrock-first-order.ron",
    monkey_09 => "09-adagrad-shrinks.ron",
    monkey_10 => "10-adam-bias-correction.ron",
    monkey_11 => "11-schedule-step.ron",
    monkey_12 => "12-schedule-cosine.ron",
    monkey_13 => "13-schedule-warmup.ron",
    monkey_14 => "14-second-order.ron",
    monkey_15 => "15-newton-saddle.ron",
    monkey_16 => "16-l2-regularization.ron",
    monkey_17 => "17-batch-size.ron",
    monkey_18 => "18-outliers-huber.ron",
    monkey_19 => "19-newton-regression.ron",
    monkey_20 => "20-hinge-logistic.ron",
    monkey_21 => "21-separable-logistic.ron",
    monkey_22 => "22-l1-sparsity.ron",
    monkey_23 => "23-shuffle.ron",
    monkey_24 => "24-lbfgs-minibatch.ron",
    monkey_25 => "25-newton-basins.ron",
    monkey_26 => "26-two-well-basins.ron",
    monkey_27 => "27-heavy-ball-phase.ron",
    monkey_28 => "28-sgd-cloud-schedule.ron",
    monkey_29 => "29-spirals-optimizers.ron",
    monkey_30 => "30-edge-of-stability.ron",
    monkey_31 => "31-initialization.ron",
    monkey_32 => "32-random-slice.ron",
    monkey_33 => "33-batch-size-network.ron",
    monkey_34 => "34-linear-interpolation.ron",
    monkey_35 => "35-circles-hidden-layer.ron",
    monkey_36 => "36-softmax-regression.ron",
}

#[test]
fn every_built_in_scene_has_a_monkey() {
    let presets: Vec<&str> = descent::presets::PRESETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(COVERED[1..], presets[..], "one monkey per preset, in order");
}
